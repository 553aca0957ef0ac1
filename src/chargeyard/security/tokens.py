"""API tokens: random, shown once, stored as SHA-256.

A token carries 256 bits of entropy, so a fast hash is enough (nothing to brute-force) and lets a
request find its token by an indexed lookup.
"""

import hashlib
import secrets

TOKEN_PREFIX = "cy_"


def generate_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def generate_secret(prefix: str) -> str:
    """A shared secret such as a webhook signing key, shown to the caller once."""
    return prefix + secrets.token_urlsafe(32)
