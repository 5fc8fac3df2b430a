"""The parts' direction (DESIGN.md): reports may use sessions and scoring; sessions and
scoring know nothing of documents. Code that spans all three lives in the project package."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("app", ["sessions", "scoring"])
def test_sessions_and_scoring_never_import_reports(app):
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        for module in _imported_modules(path)
        if module == "reports" or module.startswith("reports.")
    ]
    assert offenders == []


def _imported_names(path: Path, package: str) -> set[str]:
    """Every module `path` imports, relative imports spelled out from `package`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


# The web layer of an app: it may use the model/service layer, never the other way round.
WEB_LAYER = {"views", "forms", "urls", "admin"}


@pytest.mark.parametrize("app", ["reports", "sessions", "scoring"])
def test_models_and_services_never_import_forms_or_views(app):
    """The Markdown import took its list of allowed parts from forms.py: a rule of the
    outline lived in the web layer, and a service depended on a form module."""
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in sorted((ROOT / app).glob("*.py"))
        if path.stem not in WEB_LAYER and not path.stem.endswith("_views")
        for module in _imported_names(path, app)
        if any(module == f"{app}.{layer}" for layer in WEB_LAYER)
    ]
    assert offenders == []


def test_rendered_files_take_their_kinds_from_the_report_and_printable_kinds():
    """One concept, one place: what a rendered file can be is the reports' kinds plus the
    printables' kinds, not a third list of the same names."""
    from reports.models import PrintableKind, RenderedReport, ReportKind

    assert not hasattr(RenderedReport, "Kind")
    field = RenderedReport._meta.get_field("kind")
    assert [v for v, _label in field.choices] == [*ReportKind.values, *PrintableKind.values]
