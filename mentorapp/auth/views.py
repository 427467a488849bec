"""Routes for signing in and out, invitations, one's own account and the language switch."""

from __future__ import annotations

import math
from datetime import timedelta

from flask import abort, current_app, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mentorapp.auth import bp, invitations, oidc, oidc_views, passwords, sessions, throttle
from mentorapp.domain import access, clock
from mentorapp.store import users
from mentorapp.store.db import get_db, write
from mentorapp.web import i18n, security
from mentorapp.web.forms import Form
from mentorapp.web.pages import invalid, render, safe_next, see_other


def home_url() -> str:
    return sessions.home_for(current_user.role)


@bp.route("/")
@access.public
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(home_url())


@bp.route("/login", methods=["GET", "POST"])
@access.public
def login():
    next_url = request.values.get("next")
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(safe_next(next_url, home_url()))
        return render("auth/login.html", form=Form({"remember": "on"}), next=next_url,
                      providers=list(oidc.providers().values()))

    if not current_app.config["PASSWORD_LOGIN"]:
        return _no_passwords("auth/login.html", form=Form({}), next=next_url,
                             providers=list(oidc.providers().values()))
    db = get_db()
    form = Form(request.form)
    email = form.text("email", max_length=254) or ""
    password = request.form.get("password", "")
    form.checked("remember")
    address = request.remote_addr or "unknown"

    counted = throttle.attempt(db, email, address)
    if isinstance(counted, timedelta):
        wait = counted
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        form.error("email", _("Too many attempts. Please wait %(minutes)d minutes and try again.",
                              minutes=minutes))
        response = invalid("auth/login.html", form=form, next=next_url,
                           providers=list(oidc.providers().values()))
        response.status_code = 429
        response.headers["Retry-After"] = str(int(wait.total_seconds()) + 1)
        return response

    row = users.by_email(db, email) if email else None
    # One answer for an unknown address, a wrong password and a closed account.
    if not passwords.verify(row["password_hash"] if row else None, password) or not (
            row and row["active"]):
        form.error("email", _("Wrong e-mail address or password."))
        return invalid("auth/login.html", form=form, next=next_url,
                       providers=list(oidc.providers().values()))

    throttle.succeeded(db, counted)
    if passwords.needs_rehash(row["password_hash"]):
        with write(db):
            users.update(db, row["id"], password_hash=passwords.hash_password(password))
    sessions.start(row, remember=form.values["remember"])
    return redirect(safe_next(next_url, home_url()), code=303)


@bp.route("/logout", methods=["GET", "POST"])
@access.public
def logout():
    if request.method == "GET":
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login"))
        response = render("auth/logout.html")
        origin = oidc.end_session_origin(
            (session.get(oidc_views.SIGNED_IN_WITH) or {}).get("provider", ""))
        if origin:
            # The form's answer leads on to the provider's sign-out: the policy must allow it.
            response.headers["Content-Security-Policy"] = security.policy((origin,))
        return response
    signed_in_with = session.get(oidc_views.SIGNED_IN_WITH)
    sessions.end(current_user)
    if signed_in_with:
        # Signed out here first; then at the provider, which sends the browser back to log in.
        provider_logout = oidc_views.end_session_redirect(signed_in_with)
        if provider_logout is not None:
            provider_logout.status_code = 303
            return provider_logout
    return see_other("auth.login")


@bp.route("/invite/<token>", methods=["GET", "POST"])
@access.public
def accept_invitation(token: str):
    db = get_db()
    invitation = invitations.find(db, token)
    if invitation is None:
        return render("auth/invitation_gone.html", status=404)
    if invitation["role"] == access.PARTICIPANT:
        return _participant_invitation(db, invitation)
    form = Form(request.form)
    providers = oidc.for_role(invitation["role"])
    if request.method == "GET":
        return render("auth/invitation.html", form=form, invitation=invitation,
                      providers=providers, token=token)
    if not current_app.config["PASSWORD_LOGIN"]:
        return _no_passwords("auth/invitation.html", form=form, invitation=invitation,
                             providers=providers, token=token)
    password = request.form.get("password", "")
    _check_new_password(form, password, invitation["email"])
    if not form.ok:
        return invalid("auth/invitation.html", form=form, invitation=invitation,
                       providers=providers, token=token)
    with write(db):
        if not users.use_invitation(db, invitation["invitation_id"]):
            return render("auth/invitation_gone.html", status=404)
        users.set_password(db, invitation["id"], passwords.hash_password(password))
        # A link used as a password reset: whoever used the old password is signed out.
        users.delete_sessions(db, invitation["id"])
    sessions.start(users.get(db, invitation["id"]), remember=True)
    return redirect(home_url(), code=303)


def _participant_invitation(db, invitation: dict):
    """A participant has no password: the link signs their phone in, and keeps it signed
    in. Opening the link only shows a Start button, so that a link preview (a mail
    program, a chat app) does not use up the one-time link."""
    if request.method == "GET":
        return render("auth/participant_start.html", invitation=invitation)
    return _sign_participant_in(db, invitation)


def _sign_participant_in(db, invitation: dict):
    with write(db):
        if not users.use_invitation(db, invitation["invitation_id"]):
            return render("auth/invitation_gone.html", status=404)
    sessions.start(users.get(db, invitation["id"]), remember=True)
    return redirect(url_for("participant.home"), code=303)


@bp.route("/code", methods=["GET", "POST"])
@access.public
def code():
    """Sign in with the short one-time code the mentor or counsellor shows (for a
    participant without e-mail). Wrong guesses are throttled per address."""
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(home_url())
        return render("auth/code.html", form=Form({}))
    db = get_db()
    form = Form(request.form)
    typed = form.text("code", max_length=40) or ""
    address = request.remote_addr or "unknown"
    wait = throttle.code_blocked_for(db, address)
    counted = None
    if wait is None and form.ok:
        counted = throttle.code_attempt(db, address)
        wait = counted if isinstance(counted, timedelta) else None
    if wait is not None:
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        form.error("code", _("Too many tries. Wait %(minutes)d minutes. Then try again.",
                             minutes=minutes))
        response = invalid("auth/code.html", form=form)
        response.status_code = 429
        response.headers["Retry-After"] = str(int(wait.total_seconds()) + 1)
        return response
    if not form.ok:
        return invalid("auth/code.html", form=form)
    invitation = invitations.find_code(db, typed)
    if invitation is None or invitation["role"] != access.PARTICIPANT:
        # The try is counted already (throttle.code_attempt).
        form.error("code", _("The code is wrong or too old. Ask for a new code."))
        return invalid("auth/code.html", form=form)
    throttle.code_succeeded(db, counted)
    return _sign_participant_in(db, invitation)


def _no_passwords(template: str, **context):
    """A password sent where passwords are off (MENTORAPP_PASSWORD_LOGIN=false)."""
    return render(template, status=403, notice=_(
        "Passwords are not used here. Log in with one of the services on this page."), **context)


def _check_new_password(form: Form, password: str, email: str) -> None:
    problem = passwords.problem(password, email)
    messages = {
        "too_short": _("Use at least %(count)d characters.", count=passwords.MIN_LENGTH),
        "too_long": _("At most %(count)d characters, please.", count=passwords.MAX_LENGTH),
        "is_email": _("Your password cannot be your e-mail address."),
        "too_simple": _("Use a few different characters."),
    }
    if problem:
        form.error("password", messages[problem])
    elif request.form.get("password_again", "") != password:
        form.error("password_again", _("The two passwords are not the same."))


@bp.route("/account", methods=["GET", "POST"])
@access.signed_in
def account():
    db = get_db()
    if request.method == "GET":
        form = Form({"name": current_user.name, "phone": current_user.phone or "",
                     "locale": current_user.locale or i18n.current_locale()})
        return render("auth/account.html", form=form, password_form=Form({}))
    form = Form(request.form)
    name = form.text("name", max_length=100)
    phone = form.phone("phone")
    locale = form.choice("locale", i18n.LANGUAGES)
    if not form.ok:
        return invalid("auth/account.html", form=form, password_form=Form({}))
    with write(db):
        users.update(db, current_user.id, name=name, phone=phone or None, locale=locale)
    session["saved"] = True
    return see_other("auth.account")


@bp.route("/account/password", methods=["POST"])
@access.signed_in
def change_password():
    if not current_app.config["PASSWORD_LOGIN"]:
        abort(404)
    db = get_db()
    form = Form({"name": current_user.name, "phone": current_user.phone or "",
                 "locale": current_user.locale or i18n.current_locale()})
    password_form = Form(request.form)
    row = users.get(db, current_user.id)
    if not passwords.verify(row["password_hash"], request.form.get("current_password", "")):
        password_form.error("current_password", _("This is not your current password."))
    else:
        _check_new_password(password_form, request.form.get("password", ""), row["email"])
    if not password_form.ok:
        return invalid("auth/account.html", form=form, password_form=password_form)
    with write(db):
        users.set_password(db, row["id"], passwords.hash_password(request.form["password"]))
    sessions.restart_all(current_user._get_current_object())
    session["saved"] = True
    return see_other("auth.account")


@bp.route("/language", methods=["POST"])
@access.public
def choose_language():
    locale = request.form.get("locale", "")
    if locale not in i18n.LANGUAGES:
        abort(400)
    session["locale"] = locale
    if current_user.is_authenticated:
        db = get_db()
        with write(db):
            users.update(db, current_user.id, locale=locale)
    return redirect(safe_next(request.form.get("next"), url_for("auth.home")), code=303)


@bp.app_context_processor
def account_context() -> dict:
    return {"just_saved": session.pop("saved", False) if request.method == "GET" else False,
            "today": clock.today(), "invitation_days": current_app.config["INVITATION_DAYS"],
            "code_minutes": invitations.CODE_MINUTES,
            "password_login": current_app.config["PASSWORD_LOGIN"]}
