"""Every setting from the environment accepts what the README shows, or stops start-up with
one Dutch line that names the variable and what it expects."""

import os
import re
import runpy
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from evaluatiespiegel.env import EnvError, envbool, envfloat, envint, envlist

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "evaluatiespiegel" / "settings.py"
GUNICORN = ROOT / "gunicorn.conf.py"
README = ROOT / "README.md"
# Where the environment is read, and how (the helpers in evaluatiespiegel/env.py).
ENV_READERS = [SETTINGS, GUNICORN]
HELPER_CALL = re.compile(r"env(?:str|bool|int|float|list|choice)\(\s*[\"']([A-Z0-9_]+)[\"']")


def _readme_table() -> dict[str, list[str]]:
    """Variable -> values its row in the README's table shows (default and examples)."""
    shown: dict[str, list[str]] = {}
    for line in README.read_text().splitlines():
        if not line.startswith("| `"):
            continue
        _, names, defaults, meaning, *_ = (cell.strip() for cell in line.split("|"))
        names = re.findall(r"`([A-Z0-9_]+)`", names)
        parts = [part.strip() for part in defaults.split(" / ")]
        parts = parts if len(parts) == len(names) else [defaults] * len(names)
        examples = re.findall(r"(?:^|bijv\. )`([^`]*)`", meaning)
        for name, default in zip(names, parts, strict=True):
            values = shown.setdefault(name, [])
            quoted = re.findall(r"`([^`]*)`", default)
            if quoted:
                values.append(quoted[0])
            elif default in {"uit", "aan"} or re.fullmatch(r"[\d,]+", default):
                values.append(default)
            elif default == "leeg":
                values.append("")
            values.extend(examples)
    return shown


def _readme_exports() -> dict[str, list[str]]:
    """Variable -> values the README's shell examples export."""
    shown: dict[str, list[str]] = {}
    for line in README.read_text().splitlines():
        words = shlex.split(line, comments=True) if line.startswith("export ") else []
        for word in words[1:]:
            if re.fullmatch(r"[A-Z0-9_]+=.*", word) and "$(" not in word:
                name, value = word.split("=", 1)
                shown.setdefault(name, []).append(value)
    return shown


def readme_values() -> list[tuple[str, str]]:
    pairs = set()
    for source in (_readme_table(), _readme_exports()):
        for name, values in source.items():
            pairs.update((name, value) for value in values)
    return sorted(pairs)


def load(path: Path, monkeypatch, tmp_path, **env) -> dict:
    """Run a settings file with this environment (and no other of our variables)."""
    for name in list(os.environ):
        if name.startswith(("DJANGO_", "INSIGHT_", "GUNICORN_")) or name in _documented():
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DJANGO_SECRET_KEY_FILE", str(tmp_path / "key"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(path))


def _documented() -> set[str]:
    return set(_readme_table()) | set(_readme_exports())


def _read_from_environment() -> set[str]:
    return {name for path in ENV_READERS for name in HELPER_CALL.findall(path.read_text())}


def test_the_readme_shows_values_for_its_variables():
    table = _readme_table()
    assert table["INSIGHT_DOMINANT_AT"] == ["3,0"]
    assert "" in table["DJANGO_CSRF_TRUSTED_ORIGINS"]
    assert "1" in table["DJANGO_DEBUG"]
    assert _readme_exports()["WEB_CONCURRENCY"] == ["2"]


@pytest.mark.parametrize("name,value", readme_values(), ids=lambda x: x or "leeg")
def test_every_value_the_readme_shows_starts(name, value, monkeypatch, tmp_path):
    settings = load(SETTINGS, monkeypatch, tmp_path, **{name: value})
    load(GUNICORN, monkeypatch, tmp_path, **{name: value})
    if name in settings and isinstance(settings[name], float):
        assert settings[name] == float(value.replace(",", "."))


def test_a_dutch_decimal_comma_is_a_decimal_point(monkeypatch, tmp_path):
    settings = load(
        SETTINGS,
        monkeypatch,
        tmp_path,
        INSIGHT_DOMINANT_AT="3,5",
        INSIGHT_UNDERLIT_AT="0.5",
        INSIGHT_EFFECT_SIZE=" 0,8 ",
    )
    assert settings["INSIGHT_DOMINANT_AT"] == 3.5
    assert settings["INSIGHT_UNDERLIT_AT"] == 0.5
    assert settings["INSIGHT_EFFECT_SIZE"] == 0.8


@pytest.mark.parametrize("name", sorted(_documented()))
def test_set_but_empty_means_the_default(name, monkeypatch, tmp_path):
    default = load(SETTINGS, monkeypatch, tmp_path)
    empty = load(SETTINGS, monkeypatch, tmp_path, **{name: ""})
    for key in ["ALLOWED_HOSTS", "DEBUG", "SECURE", "DATABASES", "INSIGHT_DOMINANT_AT"]:
        assert empty[key] == default[key], key
    assert load(GUNICORN, monkeypatch, tmp_path, **{name: "  "})["bind"] == "127.0.0.1:8000"


def test_empty_allowed_hosts_still_accepts_requests_to_localhost(monkeypatch, tmp_path):
    settings = load(SETTINGS, monkeypatch, tmp_path, DJANGO_ALLOWED_HOSTS="")
    assert settings["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]"]


BAD = [
    ("DJANGO_DEBUG", "misschien"),
    ("DJANGO_SECURE", "2"),
    ("DJANGO_BEHIND_PROXY", "ok"),
    ("DJANGO_ALLOWED_HOSTS", "https://spiegel.example.nl"),
    ("DJANGO_CSRF_TRUSTED_ORIGINS", "spiegel.example.nl"),
    ("DATABASE_URL", "mysql-achtig://x"),
    ("DATABASE_URL", "postgres://u:p@h:geenpoort/db"),
    ("INSIGHT_DOMINANT_AT", "drie"),
    ("INSIGHT_UNDERLIT_AT", "1,0,0"),
    ("INSIGHT_MIN_PER_ROLE", "3,5"),
    ("INSIGHT_EFFECT_SIZE", "-1"),
    ("INSIGHT_EFFECT_SIZE", "nan"),
    ("MIN_GROUP_SIZE", "0"),
    ("DJANGO_LOG_LEVEL", "luid"),
    ("DJANGO_HSTS_SECONDS", "-5"),
    ("DJANGO_CONN_MAX_AGE", "tien"),
]


@pytest.mark.parametrize("name,value", BAD)
def test_a_wrong_value_stops_with_one_dutch_line_naming_the_variable(
    name, value, monkeypatch, tmp_path
):
    with pytest.raises(EnvError) as stopped:
        load(SETTINGS, monkeypatch, tmp_path, **{name: value})
    message = str(stopped.value.code)
    assert "\n" not in message
    assert message.startswith(f"Ongeldige instelling {name}=")
    assert "verwacht" in message


@pytest.mark.parametrize(
    "name,value", [("PORT", "http"), ("WEB_CONCURRENCY", "0"), ("GUNICORN_TIMEOUT", "1m")]
)
def test_a_wrong_server_setting_stops_gunicorn_with_one_dutch_line(
    name, value, monkeypatch, tmp_path
):
    with pytest.raises(EnvError, match=f"^Ongeldige instelling {name}="):
        load(GUNICORN, monkeypatch, tmp_path, **{name: value})


def test_manage_py_prints_only_that_line_and_exits_1(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "INSIGHT_"))}
    env.update(INSIGHT_DOMINANT_AT="drie", DJANGO_SECRET_KEY_FILE=str(tmp_path / "key"))
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Ongeldige instelling INSIGHT_DOMINANT_AT='drie': "
        "verwacht een getal (bijv. 3,0) van 0 tot en met 10."
    ]


def test_every_variable_read_is_documented_in_the_readme():
    missing = _read_from_environment() - _documented() - {"DJANGO_SECRET_KEY_FILE", "BIND"}
    assert not missing, (
        f"zet deze variabelen in de tabel onder 'Configuratie' in README.md: {missing}"
    )


def test_the_environment_is_read_only_through_the_helpers():
    for path in ENV_READERS:
        text = path.read_text()
        assert "os.environ" not in text and "os.getenv" not in text, path.name


@pytest.mark.parametrize(
    "raw,expected", [("1", True), ("ja", True), ("AAN", True), ("uit", False), ("0", False)]
)
def test_booleans_in_dutch_and_english(raw, expected, monkeypatch):
    monkeypatch.setenv("X_TEST", raw)
    assert envbool("X_TEST") is expected


def test_helpers_take_spaces_and_empty_lists(monkeypatch):
    monkeypatch.setenv("X_TEST", " 7 ")
    assert envint("X_TEST", 1) == 7
    assert envfloat("X_TEST", 1.0) == 7.0
    monkeypatch.setenv("X_TEST", " a , ,b ")
    assert envlist("X_TEST", "z") == ["a", "b"]


def test_the_throttle_numbers_come_from_the_environment(monkeypatch, tmp_path):
    settings = load(
        SETTINGS,
        monkeypatch,
        tmp_path,
        JOIN_CLIENT_LIMIT="40",
        JOIN_GLOBAL_LIMIT="5000",
        REGISTRATION_CLIENT_LIMIT="90",
        REGISTRATION_EVALUATION_LIMIT="200",
        LOGIN_FAILURE_LIMIT="8",
        LOGIN_COOLOFF_MINUTES="30",
    )
    assert settings["JOIN_CLIENT_LIMIT"] == 40
    assert settings["JOIN_GLOBAL_LIMIT"] == 5000
    assert settings["REGISTRATION_CLIENT_LIMIT"] == 90
    assert settings["REGISTRATION_EVALUATION_LIMIT"] == 200
    assert settings["AXES_FAILURE_LIMIT"] == 8
    assert settings["AXES_COOLOFF_TIME"].total_seconds() == 30 * 60
