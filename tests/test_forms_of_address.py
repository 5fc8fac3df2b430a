"""The app says "je" to everybody: no "u" or "uw" in any template or in any translatable
string of the apps (the import form once said "U ziet eerst wat er verandert")."""

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("evaluatiespiegel", "sessions", "scoring", "reports")
POLITE = re.compile(r"(?<![\w'-])(u|uw)(?![\w'-])", re.IGNORECASE)
TAG = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "_lazy"}


def template_texts():
    for path in sorted((ROOT / "templates").rglob("*.html")):
        source = path.read_text()
        texts = [source]
        # Words inside {% translate "…" %} and {% blocktranslate %} count; variables do not.
        texts += re.findall(r'{%\s*translate\s+"([^"]*)"', source)
        texts += re.findall(r"{%\s*translate\s+'([^']*)'", source)
        for text in texts:
            yield path, TAG.sub(" ", text)


def gettext_strings():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name not in GETTEXT:
                    continue
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        yield path, arg.value


def test_no_template_addresses_the_user_as_u():
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)!r} in …{text[max(0, match.start() - 30) : match.end() + 30]!r}"
        for path, text in template_texts()
        for match in POLITE.finditer(text)
    ]
    assert found == []


def test_no_translatable_message_addresses_the_user_as_u():
    found = [
        f"{path.relative_to(ROOT)}: {text!r}"
        for path, text in gettext_strings()
        if POLITE.search(text)
    ]
    assert found == []
