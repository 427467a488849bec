"""Counsellor routes, one module per part: placements (the caseload, a placement's page and
its agreement), answers (to the mentor's flags, calls and messages), participant (the
participant's own app and voice), privacy (the participant's own copy, correction and
erasure), reports, alerts."""

from mentorapp.counsellor.views import alerts, answers, participant, placements, privacy, reports  # noqa: F401
