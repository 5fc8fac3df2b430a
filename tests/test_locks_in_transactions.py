"""Every service that locks rows runs in a transaction of its own.

`select_for_update()` outside a transaction is an error on PostgreSQL and nothing at all on
SQLite, and the tests' own transaction hides it: the group planner's save lost its
@transaction.atomic in a merge and only a browser test on PostgreSQL saw the 500. Private
helpers (a leading underscore) lock on behalf of the atomic service that calls them.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("sessions", "scoring", "reports", "evaluatiespiegel")


def test_every_public_function_that_locks_rows_is_atomic():
    bare = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                    continue
                source = ast.unparse(node)
                if "select_for_update" not in source:
                    continue
                decorated = any("atomic" in ast.unparse(d) for d in node.decorator_list)
                if not decorated and "transaction.atomic()" not in source:
                    bare.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert not bare, bare
