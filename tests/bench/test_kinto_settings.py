"""Kinto is set up the way its docs say, with the changes the comparison needs, and no more."""

from __future__ import annotations

from bench import kinto_peer

# The parts of what `kinto init --backend postgresql --cache-backend postgresql` writes
# that the benchmark changes.
GENERATED = """[app:main]
use = egg:kinto
# kinto.bucket_create_principals = system.Authenticated
kinto.includes = kinto.plugins.default_bucket
                 kinto.plugins.admin
                 kinto.plugins.accounts
kinto.storage_backend = kinto.core.storage.postgresql
kinto.storage_url = postgresql://postgres:postgres@localhost/postgres
kinto.cache_url = postgresql://postgres:postgres@localhost/postgres
kinto.permission_url = postgresql://postgres:postgres@localhost/postgres
multiauth.policies = account
multiauth.policy.account.use = kinto.plugins.accounts.AccountsPolicy
kinto.account_create_principals = system.Everyone
kinto.account_write_principals = account:admin
kinto.bucket_create_principals = account:admin

[logger_root]
level = INFO
handlers = console

[logger_kinto]
level = DEBUG
handlers = console
"""


def test_backends_auth_logging_and_production_settings():
    text = kinto_peer.configure(GENERATED, "postgresql://postgres@127.0.0.1:5999/postgres")
    assert text.count("postgresql://postgres@127.0.0.1:5999/postgres") == 3
    assert "localhost" not in text
    assert "multiauth.policies = basicauth\n" in text
    assert "account" not in text.replace("system.Authenticated", "")
    assert "kinto.includes = kinto.plugins.default_bucket\nkinto.storage_backend" in text
    assert text.count("\nkinto.bucket_create_principals = system.Authenticated\n") == 1
    assert text.count("kinto.flush_endpoint_enabled = false") == 1
    assert "level = INFO" not in text and "level = DEBUG" not in text
    assert text.count("level = WARNING") == 2
    assert "# kinto.bucket_create_principals = system.Authenticated" in text
