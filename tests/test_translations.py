"""English mode is complete: every string of the UI has an English translation.

Reports stay Dutch (they render inside translation.override("nl")), but their strings live in
the same catalogue, so they are translated too and the rule stays simple: no empty or fuzzy
msgstr. The first test extracts the strings from the current source, as `makemessages` does,
so a new string without a translation fails here, not in front of an English-speaking user.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
SKIP = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", "*.sqlite3*", "staticfiles", "media", ".ruff_cache",
    ".pytest_cache", "node_modules", "*.pdf", "static", "bench",
)  # fmt: skip


def _unquote(lines: list[str]) -> str:
    return "".join(
        bytes(line.strip()[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode()
        for line in lines
    )


def catalogue(path: Path) -> list[dict]:
    """The entries of a .po file: msgid, plural, msgstr(s), fuzzy; obsolete ones left out."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid") for line in lines):
            continue
        entry = {"fuzzy": any(line.startswith("#,") and "fuzzy" in line for line in lines)}
        key, parts = None, {}
        for line in lines:
            found = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line)
            if found:
                key = found.group(1)
                parts[key] = [found.group(2)]
            elif line.startswith('"') and key:
                parts[key].append(line)
        entry.update({k: _unquote(v) for k, v in parts.items()})
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def untranslated(path: Path) -> list[str]:
    missing = []
    for entry in catalogue(path):
        strs = [v for k, v in entry.items() if k.startswith("msgstr")]
        if entry["fuzzy"] or not strs or not all(strs):
            missing.append(entry["msgid"])
    return missing


def test_every_string_in_the_source_has_an_english_translation(tmp_path):
    # A missing tool fails, never skips: a skipped test checks nothing (make test installs it).
    assert shutil.which("xgettext"), "xgettext ontbreekt: make test installeert gettext"
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=SKIP, symlinks=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "evaluatiespiegel.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "-v", "0"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    missing = untranslated(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")
    assert not missing, (
        f"{len(missing)} strings without English (run makemessages -l en, fill the msgstr, "
        "compilemessages):\n" + "\n".join(missing[:40])
    )


def test_the_catalogue_has_english_for_every_string():
    missing = untranslated(PO)
    assert not missing, (
        f"{len(missing)} strings without English (fill the msgstr, compilemessages):\n"
        + "\n".join(missing[:40])
    )


def test_the_compiled_catalogue_matches_the_translations():
    """compilemessages was run: what the app shows in English is what the .po says."""
    stale = []
    with translation.override("en"):
        for entry in catalogue(PO):
            if "msgid_plural" in entry or "msgctxt" in entry or not entry.get("msgstr"):
                continue
            if translation.gettext(entry["msgid"]) != entry["msgstr"]:
                stale.append(entry["msgid"])
    assert not stale, "run compilemessages; out of date:\n" + "\n".join(stale[:20])


def test_role_words_and_labels_are_english_in_english_mode(client):
    from sessions.models import Phase, Role, SessionState

    with translation.override("en"):
        assert [str(r.label) for r in Role] == ["Narrator", "Reflector"]
        assert str(Role.VERTELLER.plural) == "Narrators"
        assert str(SessionState.VOORBEREIDING.label) != "In voorbereiding"
        assert str(Phase.CRISIS.label) == "Crisis"


def test_a_session_is_named_in_the_language_of_the_page(session):
    """The insights ranking and other lists named sessions 'Dag 1, ronde 1: …' in English too."""
    with translation.override("en"):
        assert str(session) == "Day 1, round 1: Ondertekening"
    with translation.override("nl"):
        assert str(session) == "Dag 1, ronde 1: Ondertekening"


def source_nodes():
    """(path relative to the project, AST node) for every node of the project's own Python."""
    import ast

    for path in ROOT.glob("*/**/*.py"):
        if any(
            part in {".venv", "migrations", "staticfiles", "node_modules"} for part in path.parts
        ):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            yield path.relative_to(ROOT), node


def test_every_alias_of_a_translation_function_is_one_makemessages_extracts():
    """`gettext_lazy as _lazy` hid every `_lazy("…")` string from xgettext, so they were
    missing from the catalogue, this test's check above passed, and they stayed Dutch."""
    import ast

    from evaluatiespiegel.management.commands.makemessages import ALIASES

    known = {"_", *ALIASES}
    unknown = [
        f"{path}: {alias.name} as {alias.asname}"
        for path, node in source_nodes()
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.asname and alias.asname not in known
    ]
    assert not unknown, unknown


def test_no_translated_string_is_inside_an_f_string():
    """xgettext (0.21) reads an f-string as one literal: a `_("…")` inside its braces never
    reaches the catalogue ('Stip weghalen' stayed Dutch on an English participant's page)."""
    import ast

    names = {"_", "_lazy", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext"}
    hidden = [
        f"{path}:{call.lineno}"
        for path, node in source_nodes()
        if isinstance(node, ast.JoinedStr)
        for call in ast.walk(node)
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in names
    ]
    assert not hidden, hidden
