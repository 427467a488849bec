"""Signing in with OpenID Connect against a real provider (npm's oidc-provider on loopback,
tests/support/oidc_provider.mjs): the app in-process, the provider's login form driven over
HTTP, the provider's answer handed to the app's real callback. Every refusal is a translated
page and leaves the database exactly as it was."""

from __future__ import annotations

import os
import re
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import requests

from mentorapp import config, create_app
from mentorapp.auth import invitations
from mentorapp.store import users
from mentorapp.store.db import write
from tests.support import oidc
from tests.support.clients import Auth, csrf_token
from tests.support.world import PASSWORD, build

BASE = "http://localhost"


@pytest.fixture(scope="module")
def providers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("oidc")
    staff = oidc.OidcProvider(folder, [oidc.client("staff", BASE)], oidc.STAFF_ACCOUNTS)
    citizen = oidc.OidcProvider(folder, [oidc.client("citizen", BASE)], oidc.CITIZEN_ACCOUNTS)
    staff.start()
    try:
        citizen.start()
        yield staff, citizen
    finally:
        citizen.stop()
        staff.stop()


def oidc_config(staff, citizen) -> dict:
    env = oidc.settings(staff, citizen, BASE)
    parsed = config.from_environment(env)
    return {key: parsed[key] for key in parsed if key.startswith("OIDC_") or key == "BASE_URL"}


@pytest.fixture
def app(tmp_path, providers):
    return create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
                       "LOG_LEVEL": "WARNING", **oidc_config(*providers)})


@pytest.fixture
def staff(providers):
    return providers[0]


@pytest.fixture
def citizen(providers):
    return providers[1]


class Person:
    """One browser: the app's test client for the app, an HTTP session for the provider."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.provider = requests.Session()

    def start(self, path: str) -> str:
        response = self.client.get(path)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response.headers["Location"]

    def at_provider(self, url: str, login: str) -> str:
        """Through the provider's sign-in; returns the URL it sends the browser back to."""
        for _ in range(10):
            if url.startswith(BASE):
                return url
            response = self.provider.get(url, allow_redirects=False, timeout=10)
            if response.status_code in (302, 303):
                url = urljoin(url, response.headers["Location"])
                continue
            action = re.search(r'<form method="post" action="([^"]+)"', response.text)
            assert action, response.text[:1000]
            response = self.provider.post(urljoin(url, action.group(1)), data={"login": login},
                                          allow_redirects=False, timeout=10)
            assert response.status_code in (302, 303), response.text[:1000]
            url = urljoin(url, response.headers["Location"])
        raise AssertionError("the provider never sent the browser back")

    def back(self, url: str, **headers):
        parts = urlsplit(url)
        return self.client.get(f"{parts.path}?{parts.query}", headers=headers)

    def sign_in(self, path: str, login: str, provider=None, tamper: str | None = None):
        callback = self.at_provider(self.start(path), login)
        if tamper:
            provider.tamper_next(tamper)
        return self.back(callback)


def invite(app, who: str) -> str:
    with app.app_context(), app.test_request_context():
        from mentorapp.store.db import get_db

        db = get_db()
        with write(db):
            token = invitations.create(db, users.by_email(db, f"{who}@test.mentorapp.no")["id"],
                                       None)
    return token


def everything(db) -> dict:
    """What a refused sign-in must leave as it was."""
    return {table: db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()  # noqa: S608
            for table in ("users", "identity_links", "sessions", "invitations")}


def refusal(response) -> str:
    text = response.get_data(as_text=True)
    assert response.status_code == 403, text[:1000]
    return re.search(r'id="oidc-refused" data-reason="([a-z_]+)"', text).group(1)


def link(app, who: str, provider: str, login: str, provider_obj=None) -> Person:
    person = Person(app)
    done = person.sign_in(f"/invite/{invite(app, who)}/oidc/{provider}", login)
    assert done.status_code == 303, done.get_data(as_text=True)[:1000]
    return person


# Off by default -------------------------------------------------------------------------------

def test_with_no_provider_configured_the_app_is_as_before(tmp_path):
    plain = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "plain")})
    client = plain.test_client()
    page = client.get("/login").get_data(as_text=True)
    assert "/login/oidc/" not in page and 'name="password"' in page
    assert client.get("/login/oidc/staff").status_code == 404
    assert client.get("/login/oidc/citizen/callback?code=x&state=y").status_code == 404
    assert not (tmp_path / "plain" / "oidc_subject_key").exists()


def test_a_provider_without_a_client_id_or_with_a_plain_http_issuer_stops_the_app():
    with pytest.raises(SystemExit, match="MENTORAPP_OIDC_STAFF_ISSUER"):
        config.from_environment({"MENTORAPP_OIDC_STAFF_ISSUER": "http://idp.example.org"})
    with pytest.raises(SystemExit, match="MENTORAPP_OIDC_CITIZEN_ACR"):
        config.from_environment({"MENTORAPP_OIDC_CITIZEN_ACR": "low"})
    with pytest.raises(SystemExit, match="MENTORAPP_OIDC_STAFF_ROLES"):
        config.from_environment({"MENTORAPP_OIDC_STAFF_ROLES": "counsellor,boss"})
    with pytest.raises(SystemExit, match="MENTORAPP_OIDC_CITIZEN_SCOPES"):
        config.from_environment({"MENTORAPP_OIDC_CITIZEN_SCOPES": "profile"})


def test_an_issuer_without_a_client_id_stops_the_app(tmp_path):
    with pytest.raises(SystemExit, match="MENTORAPP_OIDC_STAFF_CLIENT_ID"):
        create_app({"INSTANCE_PATH": str(tmp_path / "i"),
                    "OIDC_STAFF_ISSUER": "https://login.microsoftonline.com/x/v2.0"})


# Linking and signing in ------------------------------------------------------------------------

def test_the_login_page_offers_the_providers_and_the_invitation_those_of_the_role(app, world):
    page = app.test_client().get("/login").get_data(as_text=True)
    assert "Logg inn med Entra ID" in page and "Logg inn med ID-porten" in page
    assert 'name="password"' in page  # the password stays, for small pilots
    mentor = app.test_client().get(f"/invite/{invite(app, 'mentor_a')}").get_data(as_text=True)
    assert "/oidc/citizen" in mentor and "/oidc/staff" not in mentor
    counsellor = app.test_client().get(f"/invite/{invite(app, 'counsellor_a')}")
    assert "/oidc/staff" in counsellor.get_data(as_text=True)
    assert "/oidc/citizen" not in counsellor.get_data(as_text=True)


def test_the_authorization_request_uses_pkce_state_nonce_and_asks_for_the_level(app, world):
    url = Person(app).start("/login/oidc/citizen")
    query = parse_qs(urlsplit(url).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert len(query["state"][0]) >= 20 and len(query["nonce"][0]) >= 20
    assert query["acr_values"] == ["idporten-loa-substantial"]
    assert query["redirect_uri"] == [f"{BASE}/login/oidc/citizen/callback"]
    assert query["scope"] == ["openid profile"]


def test_a_counsellor_links_through_the_invitation_then_signs_in_with_entra_id(app, world, db):
    person = link(app, "counsellor_a", "staff", "kari.nav")
    assert person.client.get("/c/").status_code == 200
    row = db.execute("SELECT user_id, provider, subject_hash FROM identity_links").fetchone()
    assert row[:2] == (world.ids["counsellor_a"], "staff")
    assert re.fullmatch(r"[0-9a-f]{64}", row[2])
    oid = oidc.STAFF_ACCOUNTS["kari.nav"]["claims"]["oid"]
    assert oid not in row[2]
    assert db.execute("SELECT used_at FROM invitations").fetchone()[0] is not None

    # Later, on another machine: straight from the log in page to the caseload.
    again = Person(app)
    done = again.sign_in("/login/oidc/staff", "kari.nav")
    assert done.status_code == 303 and done.headers["Location"] == "/c/"
    assert again.client.get("/c/").status_code == 200


def test_a_mentor_links_with_id_porten_and_the_identity_number_is_never_stored(app, world, db):
    person = link(app, "mentor_a", "citizen", "mentor.minid")
    assert person.client.get("/m/").status_code == 200
    again = Person(app)
    assert again.sign_in("/login/oidc/citizen?next=/m/outbox", "mentor.minid").headers[
        "Location"] == "/m/outbox"
    pid = oidc.CITIZEN_ACCOUNTS["mentor.minid"]["claims"]["pid"].encode()
    database = app.config["DATABASE"]
    for path in (database, database + "-wal"):
        try:
            with open(path, "rb") as file:
                assert pid not in file.read()
        except FileNotFoundError:
            pass
    # The key that makes the hash is the instance's own, like the other generated secrets.
    key = app.config["INSTANCE_PATH"] + "/oidc_subject_key"
    assert os.stat(key).st_mode & 0o777 == 0o600


def test_signing_in_makes_a_new_session_id_and_csrf_token(app, world, db):
    link(app, "counsellor_a", "staff", "kari.nav")
    person = Person(app)
    before = csrf_token(person.client.get("/login").get_data(as_text=True))
    person.sign_in("/login/oidc/staff", "kari.nav")
    after = person.client.get("/api/v1/session").get_json()["csrf_token"]
    assert after != before
    assert db.execute("SELECT count(*) FROM sessions").fetchone()[0] == 2  # link + sign-in


def test_the_keys_the_provider_rotates_are_picked_up(app, world, staff):
    link(app, "counsellor_a", "staff", "kari.nav")  # the app now holds the first JWKS
    old = staff.jwks()["keys"][0]["kid"]
    new = staff.rotate_keys()
    assert new != old and [key["kid"] for key in staff.jwks()["keys"]] == [new]
    done = Person(app).sign_in("/login/oidc/staff", "kari.nav")
    assert done.status_code == 303 and done.headers["Location"] == "/c/"


def test_logout_ends_the_session_here_and_then_at_the_provider(app, world, db, staff):
    person = link(app, "counsellor_a", "staff", "kari.nav")
    page = person.client.get("/logout")
    assert f"form-action 'self' {staff.issuer}" in page.headers["Content-Security-Policy"]
    token = csrf_token(page.get_data(as_text=True))
    out = person.client.post("/logout", data={"csrf_token": token})
    assert out.status_code == 303
    location = urlsplit(out.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == staff.issuer + "/session/end"
    query = parse_qs(location.query)
    assert query["post_logout_redirect_uri"] == [f"{BASE}/login"]
    assert query["client_id"] == ["mentorapp-staff"] and query["id_token_hint"]
    assert db.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
    assert person.client.get("/c/").status_code in (302, 401)
    # At the provider: its sign-out page, whose yes leads back to log in.
    ask = person.provider.get(out.headers["Location"], timeout=10)
    form = re.search(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', ask.text, re.S)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(2)))
    back = person.provider.post(urljoin(ask.url, form.group(1)),
                                data={**fields, "logout": "yes"}, allow_redirects=False,
                                timeout=10)
    assert back.headers["Location"].startswith(f"{BASE}/login")
    # Signed out there too: the next sign-in asks for the user again.
    url = person.start("/login/oidc/staff")
    assert "<form" in person.provider.get(url, timeout=10).text


def test_a_password_session_still_signs_in_and_logs_out_as_before(app, world):
    client = app.test_client()
    auth = Auth(client, world)
    auth.login("counsellor_a")
    assert auth.logout().headers["Location"] == "/login"


# Refused, with nothing stored ------------------------------------------------------------------

def test_a_new_identity_with_the_same_e_mail_does_not_get_in(app, world, db, staff):
    with write(db):
        users.update(db, world.ids["counsellor_a"], email="kari.nordmann@nav.no")
    before = everything(db)
    response = Person(app).sign_in("/login/oidc/staff", "kari.nav")
    assert refusal(response) == "unlinked"
    assert "Ingen konto her er knyttet til denne Entra ID-identiteten" in response.get_data(
        as_text=True)
    assert everything(db) == before


@pytest.mark.parametrize("kind", ["nonce", "issuer", "expired", "audience", "none",
                                  "unknown_key"])
def test_a_bad_id_token_is_refused_and_the_invitation_stays_open(app, world, db, staff, kind):
    token = invite(app, "counsellor_a")
    before = everything(db)
    response = Person(app).sign_in(f"/invite/{token}/oidc/staff", "kari.nav", staff, kind)
    assert refusal(response) == "token"
    assert "Svaret fra Entra ID var ikke til å stole på" in response.get_data(as_text=True)
    assert everything(db) == before
    # The same invitation still works with a good answer.
    assert Person(app).sign_in(f"/invite/{token}/oidc/staff", "kari.nav").status_code == 303


def test_clock_skew_is_allowed_up_to_the_leeway_and_no_further(app, world, providers, tmp_path,
                                                               staff):
    # Expired 20 s ago: within the default minute of leeway, a clock a little behind.
    assert Person(app).sign_in(f"/invite/{invite(app, 'counsellor_a')}/oidc/staff", "kari.nav",
                               staff, "skewed").status_code == 303
    exact = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "exact"),
                        **oidc_config(*providers), "OIDC_LEEWAY_SECONDS": 0})
    with exact.app_context(), exact.test_request_context():
        build(exact)
    assert refusal(Person(exact).sign_in(f"/invite/{invite(exact, 'counsellor_a')}/oidc/staff",
                                         "kari.nav", staff, "skewed")) == "token"


def test_a_wrong_state_is_refused(app, world, db):
    token = invite(app, "counsellor_a")
    before = everything(db)
    person = Person(app)
    callback = person.at_provider(person.start(f"/invite/{token}/oidc/staff"), "kari.nav")
    parts = urlsplit(callback)
    query = {key: value[0] for key, value in parse_qs(parts.query).items()}
    query["state"] = "not-the-state-we-sent"
    response = person.client.get(f"{parts.path}?{urlencode(query)}")
    assert refusal(response) == "state"
    assert everything(db) == before


def test_a_replayed_code_is_refused(app, world, db):
    person = Person(app)
    callback = person.at_provider(person.start(f"/invite/{invite(app, 'counsellor_a')}/oidc/staff"),
                                  "kari.nav")
    assert person.back(callback).status_code == 303
    before = everything(db)
    # The same answer again, in the same browser: its state is spent.
    assert refusal(person.back(callback)) == "state"
    # The old code under a fresh state of another browser: the provider will not take it twice.
    other = Person(app)
    fresh = parse_qs(urlsplit(other.start("/login/oidc/staff")).query)["state"][0]
    code = parse_qs(urlsplit(callback).query)["code"][0]
    response = other.client.get(f"/login/oidc/staff/callback?{urlencode({'code': code, 'state': fresh})}")
    assert refusal(response) == "provider"
    assert everything(db) == before


def test_an_answer_for_one_provider_at_the_other_providers_callback_is_refused(app, world, db):
    person = Person(app)
    callback = person.at_provider(person.start("/login/oidc/staff"), "kari.nav")
    before = everything(db)
    response = person.back(callback.replace("/oidc/staff/", "/oidc/citizen/"))
    assert refusal(response) == "state"
    assert everything(db) == before


def test_a_level_below_the_setting_is_refused(app, world, db):
    token = invite(app, "mentor_a")
    before = everything(db)
    response = Person(app).sign_in(f"/invite/{token}/oidc/citizen", "mentor.low")
    assert refusal(response) == "acr"
    assert everything(db) == before


def test_high_is_a_setting_and_then_substantial_is_not_enough(tmp_path, providers, world):
    strict = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "strict"),
                         **oidc_config(*providers), "OIDC_CITIZEN_ACR": "high"})
    with strict.app_context(), strict.test_request_context():
        build(strict)
    url = Person(strict).start("/login/oidc/citizen")
    assert parse_qs(urlsplit(url).query)["acr_values"] == ["idporten-loa-high"]
    response = Person(strict).sign_in(f"/invite/{invite(strict, 'mentor_a')}/oidc/citizen",
                                      "mentor.minid")
    assert refusal(response) == "acr"
    assert "Bruk BankID, Buypass eller Commfides." in response.get_data(as_text=True)
    assert Person(strict).sign_in(f"/invite/{invite(strict, 'mentor_a')}/oidc/citizen",
                                  "mentor.bankid").status_code == 303


def test_staff_outside_the_required_group_or_tenant_are_refused(app, world, db):
    before = everything(db)
    assert refusal(Person(app).sign_in(f"/invite/{invite(app, 'counsellor_a')}/oidc/staff",
                                       "outsider")) == "group"
    assert refusal(Person(app).sign_in(f"/invite/{invite(app, 'counsellor_b')}/oidc/staff",
                                       "other.tenant")) == "tenant"
    assert everything(db)["identity_links"] == before["identity_links"] == []
    assert all(row[-1] is None for row in everything(db)["invitations"])


def test_a_closed_account_is_refused_even_with_a_good_id_token(app, world, db):
    link(app, "mentor_a", "citizen", "mentor.bankid")
    with write(db):
        users.deactivate(db, world.ids["mentor_a"])
    before = everything(db)
    assert refusal(Person(app).sign_in("/login/oidc/citizen", "mentor.bankid")) == "inactive"
    assert everything(db) == before


def test_an_identity_links_to_one_account_only(app, world, db):
    link(app, "mentor_a", "citizen", "mentor.bankid")
    before = everything(db)
    response = Person(app).sign_in(f"/invite/{invite(app, 'mentor_b')}/oidc/citizen",
                                   "mentor.bankid")
    assert refusal(response) == "taken"
    after = everything(db)
    assert after["identity_links"] == before["identity_links"]
    assert after["sessions"] == before["sessions"]


def test_an_account_signs_in_only_through_the_provider_for_its_role(app, world, db):
    before = everything(db)
    # A counsellor's invitation cannot be linked to an ID-porten identity (no staff group
    # check would then apply), nor a mentor's to Entra ID.
    assert refusal(app.test_client().get(
        f"/invite/{invite(app, 'counsellor_a')}/oidc/citizen")) == "role"
    assert refusal(app.test_client().get(
        f"/invite/{invite(app, 'mentor_a')}/oidc/staff")) == "role"
    assert everything(db)["identity_links"] == before["identity_links"]


def test_a_cancelled_sign_in_and_hostile_input_are_refused_plainly(app, world, db):
    before = everything(db)
    person = Person(app)
    state = parse_qs(urlsplit(person.start("/login/oidc/staff")).query)["state"][0]
    cancelled = person.client.get(f"/login/oidc/staff/callback?error=access_denied&state={state}",
                                  headers={"Accept-Language": "en"})
    assert refusal(cancelled) == "cancelled"
    assert "The sign-in with Entra ID was cancelled" in cancelled.get_data(as_text=True)
    for query in ("", "code=&state=", "code=x" * 2000 + "&state=y", "state=%00%ff&code=%0a",
                  "code=a&code=b&state=c&iss=http://evil.example"):
        assert refusal(Person(app).client.get(f"/login/oidc/staff/callback?{query}")) == "state"
    assert app.test_client().get("/login/oidc/google").status_code == 404
    assert app.test_client().get("/invite/not-a-token/oidc/staff").status_code == 404
    assert app.test_client().get("/login/oidc/staff?next=//evil.example").status_code == 302
    assert everything(db) == before


def test_an_answer_naming_another_issuer_is_refused(app, world, db):
    person = Person(app)
    callback = person.at_provider(person.start("/login/oidc/staff"), "kari.nav")
    parts = urlsplit(callback)
    query = {key: value[0] for key, value in parse_qs(parts.query).items()}
    assert "iss" in query  # RFC 9207: the provider names itself
    query["iss"] = "http://127.0.0.1:9/another-issuer"
    before = everything(db)
    assert refusal(person.client.get(f"{parts.path}?{urlencode(query)}")) == "state"
    assert everything(db) == before


def test_next_is_kept_only_when_it_is_a_short_path_here(app, world):
    link(app, "counsellor_a", "staff", "kari.nav")
    for hostile in ("//evil.example/x", "https://evil.example/", "/c/" + "x" * 5000):
        done = Person(app).sign_in(f"/login/oidc/staff?next={hostile}", "kari.nav")
        assert done.headers["Location"] == "/c/"


def test_a_provider_that_cannot_be_reached_gets_a_plain_page(tmp_path):
    from tests.support.server import free_port

    down = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "down"),
                       "OIDC_STAFF_ISSUER": f"http://127.0.0.1:{free_port()}",
                       "OIDC_STAFF_CLIENT_ID": "mentorapp-staff"})
    client = down.test_client()
    assert "Logg inn med Entra ID" in client.get("/login").get_data(as_text=True)
    response = client.get("/login/oidc/staff")
    assert response.status_code == 503
    assert "Entra ID svarer ikke akkurat nå" in response.get_data(as_text=True)


# Passwords off, and what the admin sees ---------------------------------------------------------

def test_with_passwords_off_only_the_providers_remain(tmp_path, providers):
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "sso-only"),
                      **oidc_config(*providers), "PASSWORD_LOGIN": False})
    with app.app_context(), app.test_request_context():
        world = build(app)
    from mentorapp.store.db import close, connect

    db = connect(app.config["DATABASE"])
    try:
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        assert 'name="password"' not in page and "Logg inn med ID-porten" in page
        csrf = csrf_token(page)
        before = everything(db)
        refused = client.post("/login", data={
            "csrf_token": csrf, "email": world.users["mentor_a"]["email"],
            "password": PASSWORD})
        assert refused.status_code == 403
        assert "Passord brukes ikke her" in refused.get_data(as_text=True)
        assert everything(db) == before
        token = invite(app, "mentor_a")
        before = everything(db)
        invitation = client.get(f"/invite/{token}").get_data(as_text=True)
        assert 'name="password"' not in invitation and "/oidc/citizen" in invitation
        chosen = client.post(f"/invite/{token}", data={
            "csrf_token": csrf, "password": "my own passphrase",
            "password_again": "my own passphrase"})
        assert chosen.status_code == 403
        assert "Passord brukes ikke her" in chosen.get_data(as_text=True)
        assert everything(db) == before
        person = link(app, "mentor_a", "citizen", "mentor.minid")
        account = person.client.get("/account").get_data(as_text=True)
        assert "current_password" not in account
        csrf = person.client.get("/api/v1/session").get_json()["csrf_token"]
        assert person.client.post("/account/password", data={
            "csrf_token": csrf, "current_password": "x", "password": "another passphrase",
            "password_again": "another passphrase"}).status_code == 404
    finally:
        close(db)


def test_passwords_off_without_a_provider_stops_the_app(tmp_path):
    with pytest.raises(SystemExit, match="MENTORAPP_PASSWORD_LOGIN"):
        create_app({"INSTANCE_PATH": str(tmp_path / "i"), "PASSWORD_LOGIN": False})


def test_the_admin_sees_who_signs_in_with_which_provider(app, world):
    link(app, "mentor_a", "citizen", "mentor.minid")
    admin = app.test_client()
    Auth(admin, world).login("admin")
    page = admin.get("/admin/users").get_data(as_text=True)
    row = page.split(world.users["mentor_a"]["name"], 1)[1].split("</tr>", 1)[0]
    assert "Logger inn med ID-porten" in row
