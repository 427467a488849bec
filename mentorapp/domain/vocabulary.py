"""The domain's words: every fixed choice in the app, its stored code and its label.

Forms, validation, the API schema, charts and reports all read these; the codes are
what is stored and sent, the labels are translated when shown.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ROLES = {
    "mentor": _l("Mentor"),
    "counsellor": _l("NAV counsellor"),
    "coordinator": _l("Network coordinator"),
    "admin": _l("Administrator"),
    "participant": _l("Participant"),
}
# Accounts an admin makes; a participant's account comes from the counsellor's invitation.
STAFF_ROLES = {code: text for code, text in ROLES.items() if code != "participant"}

ATTENDANCE = {
    "on_time": _l("On time"),
    "late": _l("Came late"),
    "absent": _l("Absent"),
    "day_off": _l("Day off"),
}
# Days the participant was expected at work (a day off is not an absence).
WORKING_ATTENDANCE = ("on_time", "late", "absent")

MASTERY = {
    1: _l("Struggled a lot"),
    2: _l("Struggled a little"),
    3: _l("Managed"),
    4: _l("Managed well"),
}

SOCIAL = {
    1: _l("Kept to themselves"),
    2: _l("A little with others"),
    3: _l("Part of the group"),
}

WELLBEING = {
    1: _l("Low"),
    2: _l("So-so"),
    3: _l("Good"),
    4: _l("Very good"),
}

FLAG_CATEGORIES = {
    "absence": _l("Absence"),
    "conflict": _l("Conflict"),
    "wellbeing": _l("Wellbeing"),
    "motivation": _l("Motivation"),
    "development_stalled": _l("Development has stalled"),
    "accommodation": _l("Need for accommodation"),
    "safety": _l("Safety"),
    "practical": _l("Practical matters or pay"),
    "mentor_relief": _l("I need relief as a mentor"),
    "other": _l("Something else"),
}

SEVERITY = {
    "info": _l("For information"),
    "attention": _l("Needs attention"),
    "urgent": _l("Urgent"),
}

URGENCY = {
    "today": _l("Today"),
    "two_days": _l("Within 2 working days"),
    "this_week": _l("This week"),
}

CALL_WINDOWS = {
    "08-10": _l("08–10"),
    "10-12": _l("10–12"),
    "12-14": _l("12–14"),
    "14-16": _l("14–16"),
}

CALL_STATUS = {
    "sent": _l("Sent"),
    "seen": _l("Seen by NAV"),
    "scheduled": _l("Call scheduled"),
    "done": _l("Done"),
    "cancelled": _l("Cancelled"),
}

FLAG_STATUS = {
    "open": _l("Sent"),
    "acknowledged": _l("Seen by NAV"),
    "resolved": _l("Resolved"),
}

OUTCOMES = {
    "employed": _l("Employed"),
    "education": _l("Education or trade certificate"),
    "other_measure": _l("Another measure"),
    "ended": _l("Ended"),
}

PLACEMENT_STATUS = {
    "active": _l("Active"),
    "ended": _l("Ended"),
}

EXTENSION_STATUS = {
    "undecided": _l("Not decided"),
    "extending": _l("Will be extended"),
    "not_extending": _l("Will not be extended"),
}

# The participant's own words -------------------------------------------------------------

# "How was my day / my week": a face and a word each (the faces are not read aloud).
MOODS = {
    1: _l("Bad"),
    2: _l("Not so good"),
    3: _l("Good"),
    4: _l("Very good"),
}
MOOD_FACES = {1: "😟", 2: "😕", 3: "🙂", 4: "😄"}
# The moods the caseload counts as a week that went badly.
BAD_MOODS = (1, 2)

CHECKIN_PERIODS = {
    "day": _l("My day"),
    "week": _l("My week"),
}

# The mentor network ---------------------------------------------------------------------

RESOURCE_KINDS = {
    "link": _l("Link"),
    "file": _l("File"),
}

# The language a resource is written in (not the app's language).
RESOURCE_LANGUAGES = {
    "nb": _l("Norwegian (Bokmål)"),
    "nn": _l("Norwegian (Nynorsk)"),
    "en": _l("English"),
    "other": _l("Another language"),
}

GATHERING_ANSWERS = {
    "yes": _l("Yes, I am coming"),
    "maybe": _l("Maybe"),
    "no": _l("No, I cannot come"),
}

TOPIC_STATUS = {
    "open": _l("Proposed"),
    "planned": _l("Planned for a gathering"),
    "done": _l("Taken up"),
}

GATHERING_RATINGS = {
    5: _l("Very useful"),
    4: _l("Useful"),
    3: _l("So-so"),
    2: _l("Not very useful"),
    1: _l("Not useful"),
}


def label(choices: dict, code) -> str:
    """The label for a stored code; an unknown code is shown as it is."""
    return str(choices.get(code, code if code is not None else "–"))
