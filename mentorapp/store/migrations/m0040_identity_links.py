"""Accounts linked to an OpenID Connect identity (issue 12): the provider's stable subject
(Entra ID's `oid`, ID-porten's `pid`) only as a keyed hash, never in clear."""

from mentorapp.store.migrations import MIGRATIONS


@MIGRATIONS(name="0040_identity_links")
def identity_links(db):
    db.executescript("""
    -- One link per account and provider; one account per identity. subject_hash is
    -- HMAC-SHA256 of the subject under <instance>/oidc_subject_key (mentorapp.auth.oidc).
    CREATE TABLE identity_links (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        provider TEXT NOT NULL CHECK (provider IN ('staff', 'citizen')),
        subject_hash TEXT NOT NULL,
        linked_at TEXT NOT NULL,
        last_sign_in_at TEXT,
        UNIQUE (provider, subject_hash),
        UNIQUE (user_id, provider)
    ) STRICT;
    """)
