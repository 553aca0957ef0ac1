"""Signed session cookies and the CSRF tokens bound to them. No I/O: keys in, tokens out.

A session is not stored: the cookie carries the user id, the organization, a random nonce, the
time of sign-in and a fingerprint of the user's password hash, signed with HMAC-SHA256 under a
key derived from the server secret (`security/secret_key.py`), which every node of a cluster
shares already. Any worker can check it without a database write or a shared store. The user row
is still read on every request, so a deactivated user, a changed role or a changed password
(the fingerprint no longer matches) takes effect on the next page.

The CSRF token of a session is an HMAC of its nonce under a second derived key: a page embeds
it in every form, and a state-changing request must send it back. The sign-in form, used before
any session exists, carries a signed timestamp instead.
"""

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

SESSION_COOKIE = "chargeyard_session"
SESSION_LIFETIME = timedelta(hours=12)
SIGN_IN_FORM_LIFETIME = timedelta(hours=2)


@dataclass(frozen=True)
class SessionClaims:
    """What a session cookie says about its holder."""

    user_id: str
    organization_id: str
    nonce: str
    issued_at: datetime
    password_fingerprint: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionKeys:
    """The keys derived from the server secret, one per use, so a token of one kind never
    passes for another."""

    def __init__(self, secret: bytes) -> None:
        self._session = hmac.new(secret, b"chargeyard dashboard session", hashlib.sha256).digest()
        self._csrf = hmac.new(secret, b"chargeyard dashboard csrf", hashlib.sha256).digest()
        self._fingerprint = hmac.new(secret, b"chargeyard dashboard user", hashlib.sha256).digest()

    def fingerprint(self, password_hash: str) -> str:
        """A short keyed digest of a password hash: a new password ends every session."""
        return _b64(hmac.new(self._fingerprint, password_hash.encode(), hashlib.sha256).digest())[
            :22
        ]

    def issue(
        self, user_id: str, organization_id: str, password_hash: str, now: datetime
    ) -> tuple[str, SessionClaims]:
        claims = SessionClaims(
            user_id=user_id,
            organization_id=organization_id,
            nonce=secrets.token_urlsafe(16),
            issued_at=now,
            password_fingerprint=self.fingerprint(password_hash),
        )
        body = {
            "u": claims.user_id,
            "o": claims.organization_id,
            "n": claims.nonce,
            "i": int(now.timestamp()),
            "p": claims.password_fingerprint,
        }
        payload = _b64(json.dumps(body, separators=(",", ":")).encode())
        return f"{payload}.{self._sign(self._session, payload)}", claims

    def verify(self, cookie: str, now: datetime) -> SessionClaims | None:
        """The claims of a genuine, unexpired cookie; None for anything else."""
        payload, _, signature = cookie.partition(".")
        if not hmac.compare_digest(signature, self._sign(self._session, payload)):
            return None
        try:
            body = json.loads(_unb64(payload))
            issued_at = datetime.fromtimestamp(int(body["i"]), tz=now.tzinfo)
            claims = SessionClaims(body["u"], body["o"], body["n"], issued_at, body["p"])
        except (binascii.Error, ValueError, KeyError, TypeError):
            return None
        if not timedelta(0) - timedelta(minutes=5) <= now - issued_at <= SESSION_LIFETIME:
            return None
        return claims

    def csrf_token(self, claims: SessionClaims) -> str:
        return self._sign(self._csrf, f"session:{claims.nonce}")

    def csrf_matches(self, claims: SessionClaims, token: str) -> bool:
        return hmac.compare_digest(token, self.csrf_token(claims))

    def sign_in_token(self, now: datetime) -> str:
        """The sign-in form's token: when the form was served, signed."""
        stamp = str(int(now.timestamp()))
        return f"{stamp}.{self._sign(self._csrf, f'sign-in:{stamp}')}"

    def sign_in_token_valid(self, token: str, now: datetime) -> bool:
        stamp, _, signature = token.partition(".")
        if not stamp.isdigit():
            return False
        if not hmac.compare_digest(signature, self._sign(self._csrf, f"sign-in:{stamp}")):
            return False
        age = now - datetime.fromtimestamp(int(stamp), tz=now.tzinfo)
        return timedelta(minutes=-5) <= age <= SIGN_IN_FORM_LIFETIME

    @staticmethod
    def _sign(key: bytes, payload: str) -> str:
        return _b64(hmac.new(key, payload.encode(), hashlib.sha256).digest())
