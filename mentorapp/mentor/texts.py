"""The sentences the phone's JavaScript shows (outbox state, saving, sending).

JavaScript is not extracted into the catalogs, so the pages hand these over already
translated, as JSON in a data block. `{n}`, `{time}` and `{reason}` are filled in by the
script.
"""

from __future__ import annotations

from flask_babel import gettext as _

from mentorapp.mentor import entries


def js_texts() -> dict[str, str]:
    return {
        "pending_one": _("1 entry waits on this phone."),
        "pending_many": _("%(count)s entries wait on this phone.", count="{n}"),
        "rejected_one": _("1 entry was not accepted by NAV."),
        "rejected_many": _("%(count)s entries were not accepted by NAV.", count="{n}"),
        "all_sent": _("Everything you logged has reached NAV."),
        "sending": _("Sending…"),
        "offline": _("No connection. What you log is kept on this phone and sent when there is a connection."),
        "retry_at": _("Could not send. Trying again at %(time)s.", time="{time}"),
        "login": _("You have been logged out. Log in again so that what waits on the phone can be sent."),
        "login_link": _("Log in again"),
        "cached_page": _("No connection: this page shows how things stood at %(time)s.",
                         time="{time}"),
        "saved_local": _("Saved on this phone. It is sent to NAV as soon as there is a connection."),
        "saved_sent": _("Saved and sent to NAV."),
        "saved_sending": _("Saved on this phone. Sending it to NAV…"),
        "outbox_empty": _("Nothing waits on this phone."),
        "sent_empty": _("Nothing sent from this phone lately."),
        "state_waiting": _("Waiting to be sent"),
        "state_rejected": _("Not accepted by NAV"),
        "written_at": _("Written %(time)s", time="{time}"),
        "sent_at": _("Sent %(time)s", time="{time}"),
        "received_at": _("Received by NAV %(time)s", time="{time}"),
        "attempts": _("Tried %(count)s times; trying again by itself.", count="{n}"),
        "reason": _("Reason: %(reason)s", reason="{reason}"),
        "reason_unknown": _("NAV could not accept this entry."),
        "edit": _("Change and send again"),
        "discard": _("Discard"),
        "discard_confirm": _("Discard this entry? It has not reached NAV and will be gone."),
        "editing": _("You are changing an entry NAV did not accept. Reason: %(reason)s",
                     reason="{reason}"),
        "editing_gone": _("This entry is no longer on the phone: it was sent or discarded."),
        "logged_waiting": _("Logged today: waits on this phone"),
        "logged_sent": _("Logged today"),
        "too_many_tasks": _("At most %(count)d tasks a day.", count=entries.MAX_TASKS),
        "task_too_long": _("Each task can have at most %(count)d characters.",
                           count=entries.MAX_TASK_LENGTH),
        "storage_kept": _("The phone keeps what waits, even when it is short of space."),
        "page_changed": _("This page has changed."),
        "page_changed_show": _("Show"),
    }
