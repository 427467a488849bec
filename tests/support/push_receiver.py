"""A local push service for tests: it makes subscriptions the way a browser does (a P-256
key pair and an auth secret), receives pywebpush's real requests, checks the VAPID JWT
against the key in the request, and decrypts the aes128gcm body with http_ece.

Each endpoint can be told how to answer (201, 410, 500...), to play a push service that
is down or a subscription that is gone.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Received:
    endpoint_id: str
    headers: dict
    claims: dict
    payload: dict
    raw: bytes


@dataclass
class Endpoint:
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes
    answers: list[int] = field(default_factory=list)  # consumed one per request; then 201


class PushReceiver:
    def __init__(self):
        self.endpoints: dict[str, Endpoint] = {}
        self.received: list[Received] = []
        self.refused: list[tuple[str, str]] = []
        self.delay = 0.0  # seconds each request takes: a slow push service
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                status = receiver.handle(self)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def subscription(self, answers: list[int] | None = None) -> dict:
        """A PushSubscription as a browser would hand it to the page."""
        endpoint_id = b64url(os.urandom(9))
        key = ec.generate_private_key(ec.SECP256R1())
        auth = os.urandom(16)
        self.endpoints[endpoint_id] = Endpoint(key, auth, list(answers or []))
        public = key.public_key().public_bytes(serialization.Encoding.X962,
                                               serialization.PublicFormat.UncompressedPoint)
        return {"endpoint": f"{self.origin}/push/{endpoint_id}", "expirationTime": None,
                "keys": {"p256dh": b64url(public), "auth": b64url(auth)}}

    def messages_for(self, subscription: dict) -> list[Received]:
        endpoint_id = subscription["endpoint"].rsplit("/", 1)[1]
        return [m for m in self.received if m.endpoint_id == endpoint_id]

    def wait_for(self, count: int, timeout: float = 15) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.received) >= count:
                return self.received
            time.sleep(0.05)
        raise AssertionError(f"expected {count} push messages, got {len(self.received)}")

    # What a push service does with a request ---------------------------------------------

    def handle(self, request: BaseHTTPRequestHandler) -> int:
        endpoint_id = request.path.rsplit("/", 1)[-1]
        body = request.rfile.read(int(request.headers.get("Content-Length", 0)))
        time.sleep(self.delay)
        endpoint = self.endpoints.get(endpoint_id)
        if endpoint is None:
            return 404
        with self.lock:
            if endpoint.answers:
                answer = endpoint.answers.pop(0)
                if answer >= 300:
                    return answer
        try:
            claims = self._verify_vapid(request.headers.get("Authorization", ""))
        except ValueError as error:
            self.refused.append((endpoint_id, str(error)))
            return 401
        if request.headers.get("Content-Encoding") != "aes128gcm" or "TTL" not in request.headers:
            self.refused.append((endpoint_id, "missing Content-Encoding or TTL"))
            return 400
        plain = http_ece.decrypt(body, private_key=endpoint.private_key,
                                 auth_secret=endpoint.auth, version="aes128gcm")
        self.received.append(Received(endpoint_id, {k.lower(): v for k, v in request.headers.items()}, claims,
                                      json.loads(plain), body))
        return 201

    def _verify_vapid(self, authorization: str) -> dict:
        if not authorization.startswith("vapid "):
            raise ValueError("no VAPID authorization")
        parts = dict(p.strip().split("=", 1) for p in authorization[6:].split(","))
        token, key = parts["t"], parts["k"]
        header_b64, claims_b64, signature_b64 = token.split(".")
        header = json.loads(unb64url(header_b64))
        if header.get("alg") != "ES256":
            raise ValueError("VAPID JWT is not ES256")
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
        signature = unb64url(signature_b64)
        der = encode_dss_signature(int.from_bytes(signature[:32], "big"),
                                   int.from_bytes(signature[32:], "big"))
        try:
            public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        except Exception as error:
            raise ValueError("VAPID signature does not verify") from error
        claims = json.loads(unb64url(claims_b64))
        if claims.get("aud") != self.origin:
            raise ValueError(f"VAPID aud {claims.get('aud')} is not {self.origin}")
        if not time.time() < claims.get("exp", 0) <= time.time() + 24 * 3600:
            raise ValueError("VAPID exp out of range")
        if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
            raise ValueError("VAPID sub is not a contact address")
        claims["k"] = key
        return claims
