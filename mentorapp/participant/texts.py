"""The sentences the phone's scripts show on the participant's pages: the mentor's set,
with the ones a participant reads said more simply (short sentences, no "NAV received")."""

from __future__ import annotations

from flask_babel import gettext as _

from mentorapp.mentor import texts


def js_texts() -> dict[str, str]:
    return {
        **texts.js_texts(),
        "pending_one": _("1 thing waits on this phone."),
        "pending_many": _("%(count)s things wait on this phone.", count="{n}"),
        "rejected_one": _("1 thing could not be saved."),
        "rejected_many": _("%(count)s things could not be saved.", count="{n}"),
        "all_sent": _("Everything you wrote is sent."),
        "offline": _("No network now. What you write waits on the phone. It is sent later."),
        "login": _("You are logged out. Ask your mentor for a new code."),
        "login_link": _("Type a code"),
        "saved_local": _("Saved on the phone. It is sent when there is network."),
        "saved_sent": _("Saved and sent."),
        "received_at": _("Sent %(time)s", time="{time}"),
        "reason_unknown": _("This could not be saved."),
        "discard_confirm": _("Throw this away? It is not sent yet."),
        "editing": _("Change this and send it again. What was wrong: %(reason)s",
                     reason="{reason}"),
        "editing_gone": _("This is no longer on the phone."),
    }
