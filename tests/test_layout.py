"""The package's layout tells its architecture, and stays so: a capability's logic lives in
its own package beside its views, plumbing in mentorapp/web, SQL only in mentorapp/store,
and no import gives a module another name (a newcomer greps for the name they see)."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "mentorapp"
# The only modules at the top of the package: the factory, the command, settings,
# where files are, serving, demo data. Everything else belongs to a package.
TOP_LEVEL = {"__init__", "__main__", "cli", "config", "paths", "server", "demo"}
SQL = re.compile(r"\.(execute|executemany|executescript|query)\(|\b(SELECT|INSERT INTO|DELETE FROM)\s")


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_the_top_of_the_package_holds_only_the_app_itself():
    assert {p.stem for p in PACKAGE.glob("*.py")} == TOP_LEVEL


def test_every_package_says_why_it_exists():
    for init in PACKAGE.rglob("__init__.py"):
        if "migrations" in init.parts:
            continue
        assert ast.get_docstring(ast.parse(init.read_text())), init.relative_to(ROOT)


def test_sql_lives_only_in_the_store():
    outside = [f"{p.relative_to(ROOT)}:{n}" for p in modules()
               if "store" not in p.relative_to(PACKAGE).parts
               for n, line in enumerate(p.read_text().splitlines(), 1) if SQL.search(line)]
    assert outside == []


def _aliased_modules(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [f"import {a.name} as {a.asname}" for a in node.names
                      if a.asname and a.name.startswith("mentorapp")]
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mentorapp"):
            for alias in node.names:
                if not alias.asname:
                    continue
                try:
                    importlib.import_module(f"{node.module}.{alias.name}")
                except ImportError:
                    continue  # a function or class: naming it differently is fine
                found.append(f"from {node.module} import {alias.name} as {alias.asname}")
    return [f"{path.relative_to(ROOT)}: {text}" for text in found]


def test_no_import_renames_a_module_of_ours():
    paths = modules() + sorted((ROOT / "tests").rglob("*.py")) + sorted((ROOT / "bench").rglob("*.py"))
    assert [line for p in paths for line in _aliased_modules(p)] == []
