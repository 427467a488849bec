"""The follow-up report of a placement: a printable page and a CSV file, in Bokmål,
Nynorsk or English, for any period (the agreement period unless another is chosen)."""

from __future__ import annotations

from flask import Response, request
from flask_babel import force_locale

from mentorapp.counsellor import bp, forms, reports
from mentorapp.domain import access
from mentorapp.store.db import get_db
from mentorapp.web import i18n
from mentorapp.web.forms import Form
from mentorapp.web.pages import render


def _language() -> str:
    chosen = request.args.get("lang")
    return chosen if chosen in i18n.LANGUAGES else i18n.current_locale()


@bp.route("/p/<int:placement_id>/report")
@access.allow(access.COUNSELLOR)
def report(placement_id: int):
    placement = access.audited_placement_or_404(placement_id, access.VIEW, audit_as="report")
    language = _language()
    with force_locale(language):
        form = Form(request.args)
        period = forms.period(form, reports.default_period(placement))
        built = reports.build(get_db(), placement, *period) if period else None
        return render("counsellor/report.html", status=200 if period else 422, p=placement,
                      report=built, form=form, language=language)


@bp.route("/p/<int:placement_id>/report.csv")
@access.allow(access.COUNSELLOR)
def report_csv(placement_id: int):
    placement = access.audited_placement_or_404(placement_id, access.VIEW, audit_as="report_csv")
    language = _language()
    with force_locale(language):
        form = Form(request.args)
        period = forms.period(form, reports.default_period(placement))
        if period is None:
            return render("counsellor/report.html", status=422, p=placement, report=None,
                          form=form, language=language)
        text = reports.to_csv(reports.build(get_db(), placement, *period), language)
    stem = "follow-up" if language == "en" else "oppfolging"  # the same in Bokmål and Nynorsk
    name = f"{stem}-{placement_id}-{period[0]}-{period[1]}.csv"
    # The byte order mark makes spreadsheet programs read the file as UTF-8 (æ, ø, å).
    return Response("\ufeff" + text, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
