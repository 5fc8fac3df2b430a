"""A number next to a noun is said with ngettext, so that "1 puntenverdeling" and "2
puntenverdelingen" both read right, in Dutch and in every translation. A sweep over the
reports' code and templates, and the instances a new-user pass found."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SINGULAR_CALLS = {"_", "gettext", "gettext_lazy", "_lazy", "pgettext", "pgettext_lazy"}
# A placeholder followed by a Dutch plural noun (ends in -en or -s): "%(n)s blokken".
COUNTED = re.compile(r"(%\(\w+\)[sd]|\{\{ *[\w.|:\"]+ *\}\}) +([a-zé]{3,}(?:en|s))\b")
# Words after a number that are no plural nouns.
NOT_NOUNS = {"niveaus"}  # "staat 7 niveaus diep" is said with MAX_DEPTH >= 2 only
# Template placeholders that hold a name, not a number ("{{ label }} downloaden").
NAMES = re.compile(r"{{ *(label|name|title|time) *}}")


def _literal(node) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left), _literal(node.right)
        return left + right if left is not None and right is not None else None
    return None


def _singular_messages(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in SINGULAR_CALLS
            and node.args
        ):
            message = _literal(node.args[-1])
            if message:
                yield node.lineno, message


def _counted(message: str) -> list[str]:
    return [
        m.group(0)
        for m in COUNTED.finditer(message)
        if m.group(2) not in NOT_NOUNS and not NAMES.match(m.group(1))
    ]


def test_no_number_and_noun_in_the_reports_code_without_ngettext():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {found}"
        for path in sorted((ROOT / "reports").rglob("*.py"))
        if "migrations" not in path.parts
        for line, message in _singular_messages(path)
        for found in _counted(message)
    ]
    assert offenders == []


TRANSLATED = re.compile(
    r"{% translate \"(?P<t>[^\"]*)\" %}|{% blocktranslate(?P<args>[^%]*)%}(?P<b>.*?){% endblocktranslate %}",
    re.S,
)


def test_no_number_and_noun_in_the_reports_templates_without_a_plural():
    offenders = []
    for path in sorted((ROOT / "templates" / "reports").rglob("*.html")):
        for match in TRANSLATED.finditer(path.read_text(encoding="utf-8")):
            if "count" in (match.group("args") or ""):
                continue  # a plural form is there
            message = match.group("t") or match.group("b") or ""
            offenders += [f"{path.relative_to(ROOT)}: {found}" for found in _counted(message)]
    assert offenders == []


@pytest.mark.parametrize(
    ("scores", "said", "not_said"),
    [
        (1, "Het gemiddelde van de enige puntenverdeling.", "alle 1 puntenverdelingen"),
        (2, "Het gemiddelde van alle 2 puntenverdelingen samen", "de enige puntenverdeling"),
    ],
)
def test_the_overall_spider_note_counts_its_allocations_right(
    session, verteller, reflector, scores, said, not_said
):
    from reports.builder import report_render
    from reports.outline import outline_for, preset_apply

    from .conftest import allocate

    for person in [verteller, reflector][:scores]:
        allocate(session, person)
    preset_apply(outline=outline_for(session.evaluation, "eindrapport"), preset="rijk")
    html = report_render("eindrapport", session.evaluation, for_pdf=False)
    assert said in html
    assert not_said not in html
