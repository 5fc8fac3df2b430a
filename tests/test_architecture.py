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
