"""Routes for signing in with OpenID Connect and for linking an invited account to an identity.

    /login/oidc/<provider>                 start signing in (a linked account)
    /invite/<token>/oidc/<provider>        start linking the invited account
    /login/oidc/<provider>/callback        the provider's answer

A sign-in that must not go through (a wrong state, a token that does not check out, an
identity linked to no account, a level too low…) ends on one translated page that says
why, and changes nothing: no account, link, session or invitation is touched.
"""

from __future__ import annotations

import logging

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from flask import abort, current_app, redirect, request, session
from flask_babel import gettext as _
from joserfc.errors import JoseError
from requests import RequestException

from mentorapp.auth import bp, invitations, oidc, sessions
from mentorapp.domain import access
from mentorapp.store import identities, users
from mentorapp.store.db import get_db, write
from mentorapp.web import i18n
from mentorapp.web.pages import render, safe_next

log = logging.getLogger(__name__)
PENDING = "oidc_pending"
SIGNED_IN_WITH = "oidc"
ID_TOKEN_KEPT_UP_TO = 2000  # characters; a session cookie holds about 4000


def _provider(name: str) -> oidc.Provider:
    provider = oidc.providers().get(name)
    if provider is None:
        abort(404)
    return provider


def _start(provider: oidc.Provider, *, next_url: str | None = None,
           invitation: str | None = None):
    _forget_started()  # only one sign-in under way per browser: a new one replaces it
    # A place to go after signing in: a path here, and short (it rides in the cookie).
    next_url = next_url if next_url and len(next_url) <= 500 else None
    session[PENDING] = {"provider": provider.name, "next": safe_next(next_url, ""),
                        "invitation": invitation}
    try:
        return oidc.client(provider.name).authorize_redirect(
            oidc.redirect_uri(provider.name),
            **oidc.authorize_params(provider.name, i18n.current_locale()))
    except (RequestException, ValueError, KeyError, RuntimeError) as error:
        log.warning("oidc: %s: metadata not reachable: %r", provider.name, error)
        session.pop(PENDING, None)
        return _refused(provider, "unreachable")


def _forget_started() -> None:
    """Drop what Authlib keeps of sign-ins started in this browser (state, nonce, verifier)."""
    for key in [key for key in session if key.startswith("_state_")]:
        session.pop(key)


@bp.route("/login/oidc/<provider>")
@access.public
def oidc_login(provider: str):
    return _start(_provider(provider), next_url=request.args.get("next"))


@bp.route("/invite/<token>/oidc/<provider>")
@access.public
def oidc_link(token: str, provider: str):
    chosen = _provider(provider)
    invitation = invitations.find(get_db(), token)
    if invitation is None:
        return render("auth/invitation_gone.html", status=404)
    if invitation["role"] not in chosen.roles:
        return _refused(chosen, "role")
    return _start(chosen, invitation=token)


@bp.route("/login/oidc/<provider>/callback")
@access.public
def oidc_callback(provider: str):
    return _callback(_provider(provider))


def _callback(provider: oidc.Provider):
    name = provider.name
    pending = session.pop(PENDING, None)
    try:
        if request.args.get("error"):
            raise oidc.Refused("cancelled", request.args.get("error", "")[:80])
        if not pending or pending.get("provider") != name:
            raise oidc.Refused("state", "no sign-in under way for this provider")
        token = _verified_token(provider)
        subject_hash = oidc.subject_hash(name, oidc.subject_of(name, token["userinfo"]))
        db = get_db()
        if pending.get("invitation"):
            row = _link_invited(db, provider, pending["invitation"], subject_hash)
        else:
            row = _linked_account(db, provider, subject_hash)
    except oidc.Refused as refusal:
        log.warning("oidc: %s: sign-in refused: %s", name, refusal)
        _forget_started()
        return _refused(provider, refusal.reason)
    sessions.start(row, remember=True)
    # Kept for the provider's sign-out (id_token_hint), in this browser's cookie only, and
    # only when it fits: an Entra ID token with many groups would outgrow the cookie.
    id_token = token["id_token"] if len(token["id_token"]) <= ID_TOKEN_KEPT_UP_TO else None
    session[SIGNED_IN_WITH] = {"provider": name, "id_token": id_token}
    return redirect(safe_next(pending.get("next"), sessions.home_for(row["role"])), code=303)


def _verified_token(provider: oidc.Provider) -> dict:
    """The token response, its ID token checked by Authlib (signature, iss, aud, exp, nonce)."""
    # RFC 9207: an answer that says it comes from another issuer is not ours to take.
    if request.args.get("iss", provider.issuer) != provider.issuer:
        raise oidc.Refused("state", "the answer names another issuer")
    try:
        oidc.signed_only(provider.name)
        token = oidc.client(provider.name).authorize_access_token(
            leeway=current_app.config["OIDC_LEEWAY_SECONDS"],
            claims_options={"iss": {"essential": True, "values": [provider.issuer]},
                            "aud": {"essential": True, "values": [provider.client_id]}})
    except MismatchingStateError as error:
        raise oidc.Refused("state", "state does not match") from error
    except OAuthError as error:
        # The token endpoint said no: a code used already, expired or not ours.
        raise oidc.Refused("provider", f"{error.error}: {error.description}") from error
    except (AuthlibBaseError, JoseError, ValueError, KeyError, TypeError) as error:
        raise oidc.Refused("token", repr(error)[:200]) from error
    except RequestException as error:
        raise oidc.Refused("unreachable", repr(error)[:200]) from error
    if not token.get("userinfo") or not token.get("id_token"):
        raise oidc.Refused("token", "no ID token in the answer")
    return token


def _linked_account(db, provider: oidc.Provider, subject_hash: str) -> dict:
    row = identities.user_for(db, provider.name, subject_hash)
    if row is None:
        # Never by e-mail or name: an identity reaches only the account it was linked to.
        raise oidc.Refused("unlinked")
    if not row["active"]:
        raise oidc.Refused("inactive", f"user {row['id']}")
    if row["role"] not in provider.roles:
        raise oidc.Refused("role", f"user {row['id']} is {row['role']}")
    with write(db):
        identities.signed_in(db, provider.name, subject_hash)
    return row


def _link_invited(db, provider: oidc.Provider, token: str, subject_hash: str) -> dict:
    invitation = invitations.find(db, token)
    if invitation is None:
        raise oidc.Refused("invitation")
    if invitation["role"] not in provider.roles:
        raise oidc.Refused("role")
    other = identities.user_for(db, provider.name, subject_hash)
    if other is not None and other["id"] != invitation["id"]:
        raise oidc.Refused("taken", f"linked to user {other['id']}")
    with write(db):
        if not users.use_invitation(db, invitation["invitation_id"]):
            raise oidc.Refused("invitation")
        identities.link(db, invitation["id"], provider.name, subject_hash)
        # As with a password chosen through a link: whoever was signed in is signed out.
        users.delete_sessions(db, invitation["id"])
    return users.get(db, invitation["id"])


def _refused(provider: oidc.Provider, reason: str):
    messages = {
        "cancelled": _("The sign-in with %(provider)s was cancelled or did not succeed.",
                       provider=provider.label),
        "state": _("This sign-in was not started here, or it was started again in another "
                   "window. Start again from the log in page."),
        "provider": _("%(provider)s did not accept the sign-in. Start again from the log in "
                      "page.", provider=provider.label),
        "token": _("The answer from %(provider)s could not be trusted, so you are not signed "
                   "in.", provider=provider.label),
        "unreachable": _("%(provider)s cannot be reached just now. Try again in a while.",
                         provider=provider.label),
        "claims": _("%(provider)s did not tell us who you are.", provider=provider.label),
        "tenant": _("This %(provider)s account belongs to another organisation.",
                    provider=provider.label),
        "group": _("Your %(provider)s account does not give access to this app. Ask your "
                   "administrator to add you to its group.", provider=provider.label),
        "acr": _("This app needs a sign-in with a higher security level. Use BankID, "
                 "Buypass or Commfides, or MinID with a code from the app.")
        if current_app.config["OIDC_CITIZEN_ACR"] == "substantial" else
        _("This app needs a sign-in on the highest security level. Use BankID, Buypass or "
          "Commfides."),
        "unlinked": _("No account here is linked to this %(provider)s identity. Use the "
                      "invitation link you were sent the first time you sign in.",
                      provider=provider.label),
        "inactive": _("Your account has been closed. Ask your counsellor or administrator "
                      "if you need it again."),
        "role": _("Your account does not sign in with %(provider)s.", provider=provider.label),
        "invitation": _("Invitation links work once and expire after a while. Ask the "
                        "person who invited you for a new link."),
        "taken": _("This %(provider)s identity is already linked to another account here.",
                   provider=provider.label),
    }
    return render("auth/oidc_refused.html", message=messages[reason], reason=reason,
                  status=503 if reason == "unreachable" else 403)


def end_session_redirect(signed_in_with: dict):
    """After the local logout: the provider's end-session, which comes back to log in."""
    name = signed_in_with.get("provider")
    if name not in oidc.providers():
        return None
    try:
        return oidc.client(name).logout_redirect(
            post_logout_redirect_uri=f"{current_app.config['BASE_URL'].rstrip('/')}/login",
            id_token_hint=signed_in_with.get("id_token"),
            client_id=oidc.providers()[name].client_id)
    except (RequestException, ValueError, KeyError, RuntimeError) as error:
        log.warning("oidc: %s: no end-session redirect: %r", name, error)
        return None
