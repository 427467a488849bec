"""Nynorsk as a saved language: users.locale may also be 'nn'.

SQLite cannot alter a CHECK constraint. Rebuilding users (the twelve-step way) would mean
turning foreign keys off, which cannot happen inside the migration's transaction, with many
tables pointing at it. The constraint only widens here (every stored value stays
allowed), which is the case SQLite documents the shorter way for: rewrite the table's text
in sqlite_schema and bump the schema version, in one transaction
(https://www.sqlite.org/lang_altertable.html#otheralter).
"""

import re

from mentorapp.store.migrations import MIGRATIONS

_OLD = re.compile(r"locale\s+IN\s*\(\s*'nb'\s*,\s*'en'\s*\)", re.IGNORECASE)
_NEW = "locale IN ('nb', 'nn', 'en')"


@MIGRATIONS(name="0059_nynorsk")
def nynorsk(db):
    conn = db.conn
    (sql,) = conn.execute("SELECT sql FROM sqlite_schema WHERE type = 'table' "
                          "AND name = 'users'").fetchone()
    widened, count = _OLD.subn(_NEW, sql)
    if count != 1:
        raise RuntimeError("users.locale: the expected CHECK (locale IN ('nb', 'en')) is not there")
    (version,) = conn.execute("PRAGMA schema_version").fetchone()
    conn.execute("PRAGMA writable_schema = ON")
    try:
        conn.execute("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'users'",
                     (widened,))
        conn.execute(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")
    (check,) = conn.execute("PRAGMA quick_check").fetchone()
    if check != "ok":
        raise RuntimeError(f"users.locale: the schema check after widening says {check!r}")
