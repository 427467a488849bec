"""The participant's rights, done by their counsellor: their own copy of everything stored
(JSON and a printable page, nb or en), correction of the display name, and erasure of the
whole placement in two steps. Opened through mentorapp.domain.access like every case page."""

from __future__ import annotations

import json

from flask import Response, current_app, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from mentorapp.counsellor import bp
from mentorapp.counsellor.forms import looks_minimal
from mentorapp.domain import access, clock
from mentorapp.privacy import erasure, export
from mentorapp.store import lifecycle
from mentorapp.store.db import get_db
from mentorapp.web import i18n
from mentorapp.web.forms import Form
from mentorapp.web.pages import invalid, render, see_other


def _page(placement: dict, *, status: int = 200, name_form: Form | None = None,
          erase_form: Form | None = None):
    context = {"p": placement, "reasons": list(erasure.REASONS.items()),
               "name_form": name_form or Form({"display_name": placement["participant_name"]}),
               "erase_form": erase_form or Form({}), "labels": erasure.ROW_LABELS}
    if status == 200:
        return render("counsellor/privacy.html", **context)
    return invalid("counsellor/privacy.html", **context)


@bp.route("/p/<int:placement_id>/privacy")
@access.allow(access.COUNSELLOR)
def privacy(placement_id: int):
    placement = access.audited_placement_or_404(placement_id, access.MANAGE, audit_as="privacy")
    return _page(placement)


@bp.route("/p/<int:placement_id>/export.json")
@access.allow(access.COUNSELLOR)
def export_json(placement_id: int):
    access.audited_placement_or_404(placement_id, access.MANAGE, audit_as="privacy.export_json")
    data = export.build(get_db(), placement_id).data
    return Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json",
                    headers={"Content-Disposition":
                             f'attachment; filename="placement-{placement_id}.json"'})


@bp.route("/p/<int:placement_id>/export")
@access.allow(access.COUNSELLOR)
def export_page(placement_id: int):
    access.audited_placement_or_404(placement_id, access.MANAGE, audit_as="privacy.export_html")
    language = request.args.get("lang")
    if language not in i18n.LANGUAGES:
        language = i18n.current_locale()
    data = export.build(get_db(), placement_id).data
    download = bool(request.args.get("download"))
    with force_locale(language):
        response = render("privacy/export.html", data=data, language=language,
                          inline_css=export.stylesheet() if download else None)
    if download:
        response.headers["Content-Disposition"] = (
            f'attachment; filename="placement-{placement_id}-{language}.html"')
    return response


@bp.route("/p/<int:placement_id>/name", methods=["POST"])
@access.allow(access.COUNSELLOR)
def correct_name(placement_id: int):
    placement = access.audited_placement_or_404(placement_id, access.MANAGE, audit_as="privacy.name")
    form = Form(request.form)
    name = form.text("display_name", max_length=40)
    if name and not looks_minimal(name):
        form.error("display_name", _("Use a first name or initials only, no surname or numbers."))
    if not form.ok:
        return _page(placement, status=422, name_form=form)
    erasure.correct_name(get_db(), placement_id, user_id=current_user.id, name=name)
    return see_other("counsellor.privacy", placement_id=placement_id)


@bp.route("/p/<int:placement_id>/erase", methods=["POST"])
@access.allow(access.COUNSELLOR)
def erase(placement_id: int):
    """Step one (no `confirm`): the reason is checked and the counsellor is shown what will
    be deleted. Step two: the same form with the placement's number typed in `confirm`."""
    placement = access.audited_placement_or_404(placement_id, access.MANAGE, audit_as="privacy.erase_form")
    form = Form(request.form)
    reason = form.choice("reason", list(erasure.REASONS))
    if not form.ok:
        return _page(placement, status=422, erase_form=form)
    if "confirm" not in request.form:
        return render("counsellor/erase_confirm.html", p=placement, form=form,
                      reason_text=erasure.REASONS[reason],
                      rows=lifecycle.counts(get_db(), placement_id), labels=erasure.ROW_LABELS)
    if request.form.get("confirm", "").strip() != str(placement_id):
        form.error("confirm", _("Type the placement's number, %(number)d, to erase it.",
                                number=placement_id))
        return invalid("counsellor/erase_confirm.html", p=placement, form=form,
                       reason_text=erasure.REASONS[reason],
                       rows=lifecycle.counts(get_db(), placement_id), labels=erasure.ROW_LABELS)
    config = current_app.config
    erasure.erase(get_db(), placement_id, user_id=current_user.id, reason=reason,
                  today=clock.today(), batch_rows=config["PURGE_BATCH_ROWS"],
                  pause_seconds=config["PURGE_PAUSE_SECONDS"])
    session["erased_placement"] = placement_id
    return see_other("counsellor.erased")


@bp.route("/erased")
@access.allow(access.COUNSELLOR)
def erased():
    """What the counsellor sees after an erasure: which number went, and nothing else."""
    number = session.pop("erased_placement", None)
    return render("counsellor/erased.html", number=number,
                  caseload=url_for("counsellor.caseload"))
