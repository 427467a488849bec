"""The schema, as one ordered list of small numbered migrations (sqlite-utils' Migrations).

Each module `mNNNN_<what>.py` registers its step on MIGRATIONS; they apply in file-name
order, at start-up and by `mentorapp init-db`, each in its own transaction together with
the record that it ran. A released step is never edited: change the schema with a new one.
"""

from __future__ import annotations

import importlib
import pkgutil

import sqlite_utils
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("mentorapp")


def _load_steps() -> None:
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name[0] == "m"):
        importlib.import_module(f"{__name__}.{module}")


_load_steps()


def names() -> list[str]:
    return [step.name for step in MIGRATIONS._migrations]


def migrate(db: sqlite_utils.Database, stop_before: str | None = None) -> list[str]:
    """Apply what is pending; return the names applied now."""
    pending = [step.name for step in MIGRATIONS.pending(db)]
    MIGRATIONS.apply(db, stop_before=stop_before)
    done = {step.name for step in MIGRATIONS.applied(db)}
    return [name for name in pending if name in done]


def pending(db: sqlite_utils.Database) -> list[str]:
    return [step.name for step in MIGRATIONS.pending(db)]
