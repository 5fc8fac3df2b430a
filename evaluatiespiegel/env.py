"""Settings from the environment, read as the README writes them, or a one-line Dutch stop.

Each helper takes the variable's name and its default. A variable that is unset, or set
but empty (``DJANGO_ALLOWED_HOSTS=`` in a service file), means the default. A value that
cannot be what the variable expects stops start-up with ``SystemExit`` and one Dutch line
naming the variable, the value and what it expects: ``manage.py``, gunicorn and the tests
then print that line instead of a traceback (and Django cannot swallow it, as it does with
ImproperlyConfigured while it looks for a command).

No Django imports here: gunicorn.conf.py uses these helpers too.
"""

import math
import os

_TRUE = {"1", "true", "yes", "on", "ja", "aan", "waar"}
_FALSE = {"0", "false", "no", "off", "nee", "uit", "onwaar"}


class EnvError(SystemExit):
    """A setting in the environment that cannot be used; its message is one Dutch line."""


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return None
    return value.strip()


def fail(name: str, value: str, expected: str) -> EnvError:
    """The error for ``name=value``; ``expected`` says what would be right (Dutch)."""
    return EnvError(f"Ongeldige instelling {name}={value!r}: verwacht {expected}.")


def envstr(name: str, default: str = "") -> str:
    """The value as text, stripped of surrounding spaces."""
    value = _raw(name)
    return default if value is None else value


def envbool(name: str, default: bool = False) -> bool:
    """1/0, ja/nee, aan/uit, true/false, yes/no, on/off (any case)."""
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise fail(name, value, "1 of 0 (of ja/nee, aan/uit, true/false)")


def envint(name: str, default: int, minimum: int | None = None, maximum: int | None = None) -> int:
    """A whole number, optionally within [minimum, maximum]."""
    value = _raw(name)
    if value is None:
        return default
    expected = _range_text("een geheel getal", minimum, maximum, example=default)
    try:
        number = int(value)
    except ValueError:
        raise fail(name, value, expected) from None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise fail(name, value, expected)
    return number


def envfloat(
    name: str, default: float, minimum: float | None = None, maximum: float | None = None
) -> float:
    """A number with a decimal comma or point (``3,0`` as the README writes it, or ``3.0``)."""
    value = _raw(name)
    if value is None:
        return default
    expected = _range_text(
        "een getal (bijv. " + _dutch(default) + ")", minimum, maximum, example=None
    )
    text = value.replace(",", ".") if value.count(",") == 1 and "." not in value else value
    try:
        number = float(text)
    except ValueError:
        raise fail(name, value, expected) from None
    if not math.isfinite(number):
        raise fail(name, value, expected)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise fail(name, value, expected)
    return number


def envlist(name: str, default: str = "", *, check=None, expected: str = "") -> list[str]:
    """Comma-separated items, spaces around them ignored. ``check(item) -> bool`` refuses an
    item with ``expected`` as the explanation."""
    value = _raw(name)
    items = [item.strip() for item in (default if value is None else value).split(",")]
    items = [item for item in items if item]
    if check is not None:
        for item in items:
            if not check(item):
                raise fail(name, item, expected)
    return items


def envchoice(name: str, default: str, choices: list[str]) -> str:
    """One of ``choices`` (compared without regard to case); returns the choice as listed."""
    value = _raw(name)
    if value is None:
        return default
    for choice in choices:
        if value.lower() == choice.lower():
            return choice
    raise fail(name, value, "een van " + ", ".join(choices))


def _dutch(number: float | int) -> str:
    return str(number).replace(".", ",")


def _range_text(kind: str, minimum, maximum, example) -> str:
    if minimum is not None and maximum is not None:
        text = f"{kind} van {_dutch(minimum)} tot en met {_dutch(maximum)}"
    elif minimum is not None:
        text = f"{kind} van minstens {_dutch(minimum)}"
    elif maximum is not None:
        text = f"{kind} van hoogstens {_dutch(maximum)}"
    else:
        text = kind
    if example is not None:
        text += f", bijv. {_dutch(example)}"
    return text
