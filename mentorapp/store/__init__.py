"""Storage: the only package that writes SQL. One module per entity, functions named for
what they return; writes happen inside `db.write(...)` transactions opened by callers."""
