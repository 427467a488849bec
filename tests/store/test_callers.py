"""Every public function of the store has a caller in the app, the CLI or the benchmarks:
SQL that nothing runs is SQL nobody keeps right (tests alone do not count as a caller)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STORE = ROOT / "mentorapp" / "store"
# Hooks that Flask or sqlite-utils call by name, not our code.
CALLED_BY_FRAMEWORKS = {("db", "init_app")}


def public_functions() -> list[tuple[str, str]]:
    found = []
    for path in sorted(STORE.glob("*.py")):
        tree = ast.parse(path.read_text())
        found += [(path.stem, node.name) for node in tree.body
                  if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")]
    return found


def callers_text() -> dict[Path, str]:
    files = [p for folder in ("mentorapp", "bench", "scripts") for p in (ROOT / folder).rglob("*.py")]
    return {p: p.read_text() for p in files}


def uncalled() -> list[str]:
    texts = callers_text()
    missing = []
    for module, name in public_functions():
        if (module, name) in CALLED_BY_FRAMEWORKS:
            continue
        own = STORE / f"{module}.py"
        # Referred to through its module (store.events.by_id, events.by_id) or imported by name.
        use = re.compile(rf"\b{module}\.{name}\b|from mentorapp\.store\.{module} import [^\n]*\b{name}\b")
        called = False
        for path, text in texts.items():
            if path == own:
                # A use inside its own module counts, its definition does not.
                text = re.sub(rf"def {name}\(", "", text)
                if re.search(rf"(?<![\w.]){name}\b", text):
                    called = True
                continue
            if use.search(text):
                called = True
        if not called:
            missing.append(f"store/{module}.py: {name}")
    return missing


def test_every_public_store_function_has_a_caller():
    assert uncalled() == []
