"""The house rules of ARCHITECTURE.md, checked on every run: imports point one way only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names} | {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names |= {node.module.split(".")[0], node.module}
    return names


def files(folder: str):
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("folder,forbidden", [
    ("domain", {"app", "server", "flet", "httpx", "sqlalchemy", "fastapi", "requests"}),
    ("app", {"server", "sqlalchemy", "fastapi"}),
    ("server", {"app", "flet"}),
])
def test_imports_point_one_way(folder, forbidden):
    bad = {str(p.relative_to(ROOT)): sorted(imports_of(p) & forbidden) for p in files(folder)}
    assert not {k: v for k, v in bad.items() if v}


def test_views_do_not_reach_repositories_or_the_network():
    for path in (ROOT / "app" / "ui").rglob("view.py"):
        names = imports_of(path)
        assert not {n for n in names if n.startswith("app.data") and n != "app.data.api"} | (names & {"httpx"}), path


def test_domain_has_no_io():
    for path in files("domain"):
        text = path.read_text(encoding="utf-8")
        assert "open(" not in text and "requests" not in text, path
