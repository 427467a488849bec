"""Signing in with OpenID Connect: the providers, Authlib's client, and the claim rules.

Two providers, each on when its issuer is set (mentorapp.config):
  staff    NAV's Entra ID: the identity is the tenant and object id (`tid`, `oid`); a
           group or app role may be required to enter at all;
  citizen  ID-porten: the identity is the national identity number (`pid`); the assurance
           level (`acr`) must reach the setting.
Authlib does the protocol and every token check: authorization code flow with PKCE (S256),
`state` and `nonce`, the ID token's signature against the provider's JWKS (fetched again
when a token names a key it does not have, so rotated keys are picked up), issuer,
audience, expiry within the leeway. What is left here is what the claims mean to this app.

An identity is stored only as HMAC-SHA256 of provider and subject, under a key generated
into <instance>/oidc_subject_key: the national identity number is never kept in clear.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from requests import RequestException

from mentorapp.config import read_or_create_secret

NAMES = ("staff", "citizen")
# Shown on the buttons: the names people know these services by (not translated).
LABELS = {"staff": "Entra ID", "citizen": "ID-porten"}
# ID-porten's levels (and the older names of the same), lowest first.
ACR_RANK = {"idporten-loa-low": 1, "idporten-loa-substantial": 2, "idporten-loa-high": 3,
            "Level3": 2, "Level4": 3}
ACR_REQUEST = {"substantial": "idporten-loa-substantial", "high": "idporten-loa-high"}
PID = re.compile(r"\d{11}")
OID = re.compile(r"[0-9A-Za-z-]{1,64}")


class Refused(Exception):
    """A sign-in that must not go through; `reason` picks the translated explanation."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class Provider:
    name: str
    issuer: str
    client_id: str
    roles: tuple[str, ...]

    @property
    def label(self) -> str:
        return LABELS[self.name]


def init_app(app: Flask) -> None:
    providers: dict[str, Provider] = {}
    oauth = OAuth(app)
    for name in NAMES:
        prefix = f"OIDC_{name.upper()}_"
        issuer = app.config[prefix + "ISSUER"]
        if not issuer:
            continue
        if not app.config[prefix + "CLIENT_ID"]:
            raise SystemExit(f"MENTORAPP_{prefix}CLIENT_ID: needed when the issuer is set")
        providers[name] = Provider(name, issuer, app.config[prefix + "CLIENT_ID"],
                                   app.config[prefix + "ROLES"])
        oauth.register(
            name, client_id=app.config[prefix + "CLIENT_ID"],
            client_secret=app.config[prefix + "CLIENT_SECRET"],
            server_metadata_url=f"{issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": app.config[prefix + "SCOPES"],
                           "code_challenge_method": "S256", "default_timeout": 10})
    if not providers and not app.config["PASSWORD_LOGIN"]:
        raise SystemExit("MENTORAPP_PASSWORD_LOGIN: false needs an OpenID provider "
                         "(MENTORAPP_OIDC_STAFF_ISSUER or MENTORAPP_OIDC_CITIZEN_ISSUER)")
    app.extensions["mentorapp.oidc"] = {"oauth": oauth, "providers": providers}
    if providers:
        app.extensions["mentorapp.oidc"]["key"] = read_or_create_secret(
            Path(app.config["INSTANCE_PATH"]) / "oidc_subject_key",
            lambda: secrets.token_bytes(32))


def providers() -> dict[str, Provider]:
    return current_app.extensions["mentorapp.oidc"]["providers"]


def client(name: str):
    return current_app.extensions["mentorapp.oidc"]["oauth"].create_client(name)


def signed_only(name: str) -> None:
    """Authlib takes the ID token algorithms from the provider's metadata: never `none`,
    whatever the metadata says (RS256 when it says nothing, as OpenID Connect has it)."""
    metadata = client(name).load_server_metadata()
    algorithms = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    metadata["id_token_signing_alg_values_supported"] = [
        alg for alg in algorithms if isinstance(alg, str) and alg.lower() != "none"] or ["RS256"]


def for_role(role: str) -> list[Provider]:
    """The providers an account of this role may sign in through."""
    return [provider for provider in providers().values() if role in provider.roles]


def redirect_uri(name: str) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}/login/oidc/{name}/callback"


def authorize_params(name: str, locale: str) -> dict:
    params = {"ui_locales": locale}
    if name == "citizen":
        params["acr_values"] = ACR_REQUEST[current_app.config["OIDC_CITIZEN_ACR"]]
    return params


def subject_hash(name: str, subject: str) -> str:
    key = current_app.extensions["mentorapp.oidc"]["key"]
    return hmac.new(key, f"{name}\0{subject}".encode(), hashlib.sha256).hexdigest()


def subject_of(name: str, claims: dict) -> str:
    """The stable identity in a verified ID token's claims, once this app's rules hold."""
    config = current_app.config
    if name == "staff":
        tid, oid = claims.get("tid"), claims.get("oid")
        if not (isinstance(oid, str) and OID.fullmatch(oid) and isinstance(tid, str)
                and OID.fullmatch(tid)):
            raise Refused("claims", "staff ID token without tid and oid")
        if config["OIDC_STAFF_TENANT"] and tid != config["OIDC_STAFF_TENANT"]:
            raise Refused("tenant", tid)
        group = config["OIDC_STAFF_REQUIRED_GROUP"]
        if group and not any(isinstance(claims.get(claim), list) and group in claims[claim]
                             for claim in ("groups", "roles")):
            raise Refused("group")
        return f"{tid}:{oid}"
    pid = claims.get("pid")
    if not (isinstance(pid, str) and PID.fullmatch(pid)):
        raise Refused("claims", "citizen ID token without pid")
    acr = claims.get("acr")
    needed = ACR_RANK[ACR_REQUEST[config["OIDC_CITIZEN_ACR"]]]
    if not isinstance(acr, str) or ACR_RANK.get(acr, 0) < needed:
        raise Refused("acr", str(acr)[:40])
    return pid


def end_session_origin(name: str) -> str | None:
    """The origin of the provider's end-session endpoint (for CSP form-action: the logout
    form's answer leads there), or None if it has none or cannot be reached."""
    if name not in providers():
        return None
    try:
        endpoint = client(name).load_server_metadata().get("end_session_endpoint")
    except (RequestException, ValueError) as error:
        current_app.logger.warning("oidc: %s: metadata not reachable: %r", name, error)
        return None
    if not isinstance(endpoint, str):
        return None
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"
