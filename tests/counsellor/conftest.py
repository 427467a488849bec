"""Fixtures for the counsellor tests: the other people who act on a placement."""

from __future__ import annotations

import pytest

from tests.conftest import _signed_in


@pytest.fixture
def as_backup(app, world):
    return _signed_in(app, world, "counsellor_a2")


@pytest.fixture
def as_mentor_b(app, world):
    return _signed_in(app, world, "mentor_b")
