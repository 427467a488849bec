"""Resources: the coordinator adds links and files; the network's mentors browse, search,
filter and keep files on their phone for offline reading (static/js/sw-network.js)."""

from __future__ import annotations

from flask import abort, current_app, request
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from mentorapp.domain import access, clock, vocabulary
from mentorapp.network import actions, bp, forms, uploads
from mentorapp.store import broadcasts, gatherings, resources
from mentorapp.store.db import get_db
from mentorapp.web.forms import Form
from mentorapp.web.pages import render, see_other

# A message is news on the mentors' network page for this many days.
NEWS_DAYS = 14


def _filters() -> dict:
    args = request.args
    kind = args.get("kind") if args.get("kind") in vocabulary.RESOURCE_KINDS else None
    language = (args.get("language") if args.get("language") in vocabulary.RESOURCE_LANGUAGES
                else None)
    return {"q": (args.get("q") or "").strip()[:100], "kind": kind, "language": language,
            "tag": (args.get("tag") or "").strip()[:forms.MAX_TAG_LENGTH] or None}


@bp.route("/resources", endpoint="resources")
@access.allow(access.COORDINATOR, access.MENTOR)
def resources_page():
    network_id = access.my_network_or_404()
    db = get_db()
    chosen = _filters()
    rows = resources.in_network(db, network_id, kind=chosen["kind"],
                                     language=chosen["language"], tag=chosen["tag"],
                                     query=chosen["q"])
    filtered = any(chosen.values())
    news = {}
    if not access.may_manage_network(current_user):
        news = {"next_gathering": gatherings.next_for(db, network_id, clock.now_iso(),
                                                      current_user.id),
                "latest_message": broadcasts.latest(db, network_id, clock.days_ago(NEWS_DAYS))}
    return render("network/resources.html", partial="network/_resource_list.html", **news,
                  resources=rows, chosen=chosen, filtered=filtered,
                  tag_options=[(tag, tag) for tag in resources.tags_in_network(db, network_id)],
                  filter_form=Form({k: v or "" for k, v in chosen.items()}))


def _resource_or_404(resource_id: int) -> dict:
    return access.network_object_or_404(resources.get(get_db(), resource_id))


@bp.route("/resources/<int:resource_id>")
@access.allow(access.COORDINATOR, access.MENTOR)
def resource(resource_id: int):
    return render("network/resource.html", r=_resource_or_404(resource_id))


@bp.route("/resources/<int:resource_id>/file")
@access.allow(access.COORDINATOR, access.MENTOR)
def resource_file(resource_id: int):
    """The file itself. The service worker keeps it for offline reading on request."""
    found = _resource_or_404(resource_id)
    if found["kind"] != "file":
        abort(404)
    return uploads.send(found["stored_name"], found["file_type"], found["file_name"])


def _form_page(form: Form, *, r: dict | None = None, status: int = 200):
    return render("network/resource_form.html", status=status, form=form, r=r,
                  max_size=uploads.human_size(current_app.config["UPLOAD_MAX_BYTES"]))


@bp.route("/resources/new", methods=["GET", "POST"])
@access.allow(access.COORDINATOR)
def new_resource():
    network_id = access.my_network_or_404()
    if request.method == "GET":
        return _form_page(Form({"kind": "link", "language": "nb"}))
    try:
        form = Form(request.form)
        upload = request.files.get("file")
    except RequestEntityTooLarge:
        # Far larger than allowed: the body was not read, so the form cannot be shown
        # again with what was typed; say why, keep nothing.
        form = Form({"kind": "file", "language": "nb"})
        form.error("file", uploads.too_large_message(current_app.config["UPLOAD_MAX_BYTES"]))
        return _form_page(form, status=413)
    fields = forms.resource(form)
    checked = None
    if fields.kind == "file":
        try:
            checked = uploads.check(upload, current_app.config["UPLOAD_MAX_BYTES"])
        except uploads.UploadError as error:
            form.error("file", str(error))
    if not form.ok:
        return _form_page(form, status=422)
    resource_id = actions.add_resource(get_db(), current_user, network_id, fields, checked)
    return see_other("network.resource", resource_id=resource_id)


@bp.route("/resources/<int:resource_id>/edit", methods=["GET", "POST"])
@access.allow(access.COORDINATOR)
def edit_resource(resource_id: int):
    found = _resource_or_404(resource_id)
    if request.method == "GET":
        return _form_page(Form({"title": found["title"], "description": found["description"],
                                "language": found["language"], "url": found["url"] or "",
                                "tags": ", ".join(found["tags"])}), r=found)
    form = Form(request.form)
    fields = forms.resource(form, editing_kind=found["kind"])
    if not form.ok:
        return _form_page(form, r=found, status=422)
    actions.change_resource(get_db(), found, fields)
    return see_other("network.resource", resource_id=resource_id)


@bp.route("/resources/<int:resource_id>/delete", methods=["POST"])
@access.allow(access.COORDINATOR)
def delete_resource(resource_id: int):
    actions.delete_resource(get_db(), _resource_or_404(resource_id))
    return see_other("network.resources")

