"""The server's VAPID key pair for Web Push, generated once into the instance folder."""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from mentorapp.config import read_or_create_secret

KEY_FILE = "vapid_private.pem"


def _new_private_key_pem() -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def ensure_key(instance_path: str | Path) -> Path:
    path = Path(instance_path) / KEY_FILE
    read_or_create_secret(path, _new_private_key_pem)
    return path


@cache
def public_key(private_key_path: str) -> str:
    """The application server key a browser needs to subscribe (base64url, uncompressed)."""
    key = serialization.load_pem_private_key(Path(private_key_path).read_bytes(), password=None)
    raw = key.public_key().public_bytes(serialization.Encoding.X962,
                                        serialization.PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
