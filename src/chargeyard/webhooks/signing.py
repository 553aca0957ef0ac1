"""Standard Webhooks signatures: `v1,` + base64(HMAC-SHA256(key, f"{id}.{timestamp}.{body}")).

A secret is `whsec_` + the base64 of a random key; the key (not the text) is the HMAC key. During a
rotation's grace period a message carries one signature per live secret, space-separated, so a
receiver that still holds the old secret keeps verifying.
"""

import base64
import hashlib
import hmac
import secrets
from collections.abc import Sequence

SECRET_PREFIX = "whsec_"
KEY_BYTES = 32


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def secret_key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(
    live_secrets: Sequence[str], message_id: str, timestamp: int, body: bytes
) -> str:
    return " ".join(signature(s, message_id, timestamp, body) for s in live_secrets)
