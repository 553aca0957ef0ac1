"""Salted, slow password hashes (Argon2id), computed off the event loop.

Each hash takes about 20 ms of a core (the OWASP minimum parameters, kept). A connection storm
would otherwise run one per worker thread and take every core from the event loop that answers
the stations already connected, so at most all cores but one hash at a time; the rest queue.
Stations reconnecting do not come here at all once they have a stored verifier
(`verifiers.py`); `argon2_verifications` counts the checks that did, for tests and operators.

Users who authenticate to the REST API with HTTP Basic send their password with every request:
a verified (hash, password) pair is remembered for the life of the process as a digest keyed
by a random per-process key (never the password), so only a process's first request per user
pays for Argon2.
"""

import hashlib
import hmac
import os
import secrets

import anyio
import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_hashing = anyio.CapacityLimiter(max(1, (os.cpu_count() or 1) - 1))
_cache_key = secrets.token_bytes(32)
_verified: dict[str, bytes] = {}
argon2_verifications = 0
"""Password checks that reached this module (remembered pairs included)."""
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(24))


async def hash_password(password: str) -> str:
    return await anyio.to_thread.run_sync(_hasher.hash, password, limiter=_hashing)


async def verify_password(stored_hash: str, password: str) -> bool:
    global argon2_verifications
    argon2_verifications += 1
    digest = hmac.new(_cache_key, f"{stored_hash}\0{password}".encode(), hashlib.sha256).digest()
    if hmac.compare_digest(_verified.get(stored_hash, b""), digest):
        return True
    ok = await anyio.to_thread.run_sync(_verify, stored_hash, password, limiter=_hashing)
    if ok:
        _verified[stored_hash] = digest
    return ok


def _verify(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def verify_nothing(password: str) -> None:
    """Spend what checking a wrong password costs, when there was no hash to check (an unknown
    e-mail or station id): an answer's timing must not say whether the name exists."""
    global argon2_verifications
    argon2_verifications += 1
    await anyio.to_thread.run_sync(_verify, _DUMMY_HASH, password, limiter=_hashing)
