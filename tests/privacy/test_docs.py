"""docs/privacy.md keeps up with the schema: every table is in its data map, and every
table that holds a placement's case data says it goes with the placement."""

from __future__ import annotations

import re
from pathlib import Path

from mentorapp.store import lifecycle

DOC = Path(__file__).resolve().parents[2] / "docs" / "privacy.md"


def data_map() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8").split("## Data map", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in text.splitlines():
        if not line.startswith("| `"):
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        for name in re.findall(r"`([a-z_]+)`", cells[0]):
            rows[name] = cells[-1]
    return rows


def test_every_table_of_the_schema_is_in_the_data_map_and_nothing_else(db):
    tables = set(db.table_names())
    documented = set(data_map())
    assert tables - documented == set(), "tables missing from docs/privacy.md"
    assert documented - tables == set(), "docs/privacy.md names tables the schema lacks"


def test_every_case_table_is_deleted_with_its_placement():
    retention = data_map()
    for table in (*lifecycle.CASE_TABLES, "placements", "participants"):
        assert retention[table].startswith("placement"), table
