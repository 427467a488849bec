"""Fixtures for the participant's tests: p1's participant, invited by their counsellor
and signed in on their own phone with the code shown on the placement's page."""

from __future__ import annotations

import pytest

from tests.support.participant import participant_of


@pytest.fixture
def as_participant(app, world):
    return participant_of(app, world, "p1")
