"""Counsellor routes, one module per part: placements (the caseload, a placement's page and
its agreement), answers (to the mentor's flags, calls and messages), reports, alerts,
privacy (the participant's own copy, correction and erasure)."""

from mentorapp.counsellor.views import alerts, answers, placements, privacy, reports  # noqa: F401
