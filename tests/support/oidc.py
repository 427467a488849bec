"""A real OpenID provider for the tests (npm's oidc-provider, run by Node on loopback; see
oidc_provider.mjs beside this file), and the settings that point the app at it."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import requests

from tests.support.browser import missing
from tests.support.server import free_port

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("oidc_provider.mjs")
TENANT = "3f6c2a8e-0b1d-4c7e-9a55-0d7b4e2c1f00"
STAFF_GROUP = "b1e2f3a4-5c6d-4e7f-8a9b-0c1d2e3f4a5b"


class OidcProvider:
    """One issuer with its clients and test accounts; `start()` waits until it answers."""

    def __init__(self, folder: Path, clients: list[dict], accounts: dict):
        self.folder = Path(folder)
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.config = {"port": self.port, "clients": clients, "accounts": accounts}
        self.process: subprocess.Popen | None = None
        self.log = self.folder / f"oidc-{self.port}.log"

    def start(self) -> OidcProvider:
        node = shutil.which("node")
        if node is None or not (ROOT / "node_modules" / "oidc-provider").is_dir():
            missing("node or node_modules/oidc-provider is missing: `make test` installs it with npm")
        self.folder.mkdir(parents=True, exist_ok=True)
        config = self.folder / f"oidc-{self.port}.json"
        config.write_text(json.dumps(self.config), encoding="utf-8")
        self.process = subprocess.Popen([node, str(SCRIPT), str(config)], cwd=ROOT,
                                        stdin=subprocess.PIPE, stdout=self.log.open("ab"),
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"provider exited: {self.log.read_text()[-2000:]}")
            try:
                if requests.get(self.issuer + "/.well-known/openid-configuration",
                                timeout=1).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError("the OpenID provider did not answer within 30 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def rotate_keys(self) -> str:
        return requests.post(self.issuer + "/test/rotate", timeout=10).json()["kid"]

    def tamper_next(self, kind: str) -> None:
        """The next ID token the token endpoint hands out is wrong in this one way."""
        assert requests.post(self.issuer + "/test/tamper", params={"kind": kind},
                             timeout=10).json() == {"tamper": kind}

    def jwks(self) -> dict:
        return requests.get(self.issuer + "/jwks", timeout=10).json()


def client(name: str, base_url: str) -> dict:
    return {"client_id": f"mentorapp-{name}", "client_secret": f"secret-of-{name}-for-tests-only",
            "redirect_uris": [f"{base_url}/login/oidc/{name}/callback"],
            "post_logout_redirect_uris": [f"{base_url}/login"]}


# Entra ID's shape: the tenant, the object id (stable), groups.
STAFF_ACCOUNTS = {
    "kari.nav": {"claims": {"tid": TENANT, "oid": "6a1f0c9e-1111-4b2a-9c3d-000000000001",
                            "groups": [STAFF_GROUP], "email": "kari.nordmann@nav.no",
                            "name": "Kari Nordmann"}},
    "outsider": {"claims": {"tid": TENANT, "oid": "6a1f0c9e-1111-4b2a-9c3d-000000000002",
                            "groups": [], "email": "outsider@nav.no", "name": "Not In Group"}},
    "other.tenant": {"claims": {"tid": "00000000-0000-0000-0000-00000000beef",
                                "oid": "6a1f0c9e-1111-4b2a-9c3d-000000000003",
                                "groups": [STAFF_GROUP], "email": "x@example.org", "name": "X"}},
}
# ID-porten's shape: the national identity number (pid) and the assurance level (acr).
CITIZEN_ACCOUNTS = {
    "mentor.bankid": {"claims": {"pid": "24917898765"}, "acr": "idporten-loa-high"},
    "mentor.minid": {"claims": {"pid": "13918399876"}, "acr": "idporten-loa-substantial"},
    "mentor.low": {"claims": {"pid": "02917799887"}, "acr": "idporten-loa-low"},
}


def settings(staff: OidcProvider | None, citizen: OidcProvider | None, base_url: str) -> dict:
    """The environment that turns the app's providers on, pointed at these."""
    env = {"MENTORAPP_BASE_URL": base_url}
    for name, provider in (("staff", staff), ("citizen", citizen)):
        if provider is None:
            continue
        own = next(c for c in provider.config["clients"] if c["client_id"] == f"mentorapp-{name}")
        upper = name.upper()
        env[f"MENTORAPP_OIDC_{upper}_ISSUER"] = provider.issuer
        env[f"MENTORAPP_OIDC_{upper}_CLIENT_ID"] = own["client_id"]
        env[f"MENTORAPP_OIDC_{upper}_CLIENT_SECRET"] = own["client_secret"]
    if staff is not None:
        env["MENTORAPP_OIDC_STAFF_TENANT"] = TENANT
        env["MENTORAPP_OIDC_STAFF_REQUIRED_GROUP"] = STAFF_GROUP
    return env
