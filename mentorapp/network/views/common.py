"""What every network page shares: the network's name, who is looking, the sub-menu."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import format_date, format_time
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from mentorapp.domain import access, clock
from mentorapp.network import bp, figures, uploads
from mentorapp.store import orgs
from mentorapp.store.db import get_db

# (endpoint, label, who sees it)
TABS = (
    ("network.overview", _l("Overview"), (access.COORDINATOR,)),
    ("network.resources", _l("Resources"), (access.COORDINATOR, access.MENTOR)),
    ("network.gatherings", _l("Gatherings"), (access.COORDINATOR, access.MENTOR)),
    ("network.topics", _l("Topics"), (access.COORDINATOR, access.MENTOR)),
    ("network.feedback", _l("Feedback"), (access.COORDINATOR,)),
    ("network.changes", _l("What we changed"), (access.COORDINATOR, access.MENTOR)),
    ("network.messages", _l("Messages"), (access.COORDINATOR, access.MENTOR)),
)

# Pages below a tab, so the tab stays marked on them.
SECTION = {
    "network.new_resource": "network.resources", "network.resource": "network.resources",
    "network.edit_resource": "network.resources", "network.new_gathering": "network.gatherings",
    "network.gathering": "network.gatherings", "network.edit_gathering": "network.gatherings",
}


def is_coordinator() -> bool:
    return access.may_manage_network(current_user)


@bp.app_template_global()
def network_section(endpoint: str | None) -> str | None:
    return SECTION.get(endpoint or "", endpoint)


def host_of(url: str | None) -> str:
    """The site a link goes to, shown beside it so nobody is surprised where they land."""
    try:
        return urlsplit(url or "").hostname or ""
    except ValueError:
        return ""


# Fixed attribute text per language code: nothing from the database goes into markup.
_LANG_ATTRIBUTES = {"nb": Markup(' lang="nb"'), "nn": Markup(' lang="nn"'),
                    "en": Markup(' lang="en"')}


def lang_of(resource: dict) -> Markup:
    """A lang attribute for a resource's own words (WCAG 3.1.2), when its language has a code."""
    return _LANG_ATTRIBUTES.get(resource.get("language"), Markup(""))


def time_span(starts_at: str, ends_at: str) -> str:
    """"tirsdag 3. desember 2026, 09:00–11:30" in the reader's language, Oslo time."""
    begins, ends = clock.local(starts_at), clock.local(ends_at)
    text = f"{format_date(begins.date(), 'full')}, {format_time(begins, 'short')}–"
    if ends.date() != begins.date():
        text += f"{format_date(ends.date(), 'medium')} "
    return text + format_time(ends, "short")


@bp.context_processor
def network_context() -> dict:
    network_id = access.network_of(current_user)
    network = orgs.get(get_db(), "networks", network_id) if network_id else None
    role = getattr(current_user, "role", None)
    return {"network": network, "coordinating": is_coordinator(),
            "file_size": uploads.human_size, "host_of": host_of, "time_span": time_span, "lang_of": lang_of,
            "now_iso": clock.now_iso, "ratings_chart": figures.ratings,
            "network_tabs": [(endpoint, label) for endpoint, label, roles in TABS
                             if role in roles]}
