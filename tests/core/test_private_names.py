"""A name that starts with an underscore is its module's own: no other module of the product imports it. A helper
two modules share is public in the one place that defines it (bulletins.tables' figure cells, issue 15)."""

import ast
from pathlib import Path

import zhaoshang

ROOT = Path(zhaoshang.__file__).parent


def private_imports(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("zhaoshang"):
            found += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    return found


def test_the_check_sees_a_private_import():
    assert private_imports("from zhaoshang.bulletins.tables import _pct, paired_row") == [
        "zhaoshang.bulletins.tables._pct"
    ]
    assert private_imports("from zhaoshang.core.files import download as _download") == []


def test_no_module_imports_another_modules_private_names():
    offenders = {
        str(path.relative_to(ROOT)): names
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.parts and (names := private_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
