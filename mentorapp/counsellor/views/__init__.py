"""Counsellor routes, one module per part: placements (the caseload, a placement's page and
its agreement), answers (to the mentor's flags, calls and messages), reports, alerts."""

from mentorapp.counsellor.views import alerts, answers, placements, reports  # noqa: F401
