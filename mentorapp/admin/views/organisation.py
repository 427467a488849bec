"""Admin pages for the organisation: NAV offices, mentor networks and workplaces.

A fresh installation starts here: accounts and placements hang on these.
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from mentorapp.admin import bp
from mentorapp.domain import access
from mentorapp.store import orgs
from mentorapp.store.db import get_db, write
from mentorapp.web.forms import Form
from mentorapp.web.pages import invalid, render, see_other

KINDS = ("office", "network", "workplace")


def _page(forms: dict | None = None, status: int = 200):
    db = get_db()
    forms = forms or {}
    context = {
        "offices": orgs.offices(db), "networks": orgs.networks(db),
        "workplaces": orgs.workplaces(db),
        "office_options": [(o["id"], o["name"]) for o in orgs.offices(db)],
        "network_options": [(n["id"], n["name"]) for n in orgs.networks(db)],
        "office_form": forms.get("office", Form({})),
        "network_form": forms.get("network", Form({})),
        "workplace_form": forms.get("workplace", Form({})),
    }
    template = "admin/organisation.html"
    return render(template, **context) if status == 200 else invalid(template, **context)


@bp.route("/organisation")
@access.allow(access.ADMIN)
def organisation():
    return _page()


@bp.route("/organisation/<kind>", methods=["POST"])
@access.allow(access.ADMIN)
def add_to_organisation(kind: str):
    if kind not in KINDS:
        return _page()
    db = get_db()
    form = Form(request.form)
    field = f"{kind}_name"  # one page, three forms: each field needs its own id
    name = form.text(field, max_length=120)
    if kind == "network":
        parent = form.choice("office_id", [o["id"] for o in orgs.offices(db)], required=False)
    elif kind == "workplace":
        parent = form.choice("network_id", [n["id"] for n in orgs.networks(db)])
    else:
        parent = None
    existing = {"office": orgs.offices, "network": orgs.networks,
                "workplace": orgs.workplaces}[kind](db)
    if name and any(row["name"].casefold() == name.casefold() for row in existing):
        form.error(field, _("This name is already in use."))
    if not form.ok:
        return _page({kind: form}, status=422)
    with write(db):
        if kind == "office":
            orgs.create_office(db, name)
        elif kind == "network":
            orgs.create_network(db, name, parent)
        else:
            orgs.create_workplace(db, name, parent)
    return see_other("admin.organisation")
