"""Fixtures for the counsellor tests: the other people who act on a placement."""

from __future__ import annotations

import pytest

from tests.support.clients import signed_in


@pytest.fixture
def as_backup(app, world):
    return signed_in(app, world, "counsellor_a2")


@pytest.fixture
def as_mentor_b(app, world):
    return signed_in(app, world, "mentor_b")
