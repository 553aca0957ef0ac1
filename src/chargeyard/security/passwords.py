"""Salted, slow password hashes (Argon2id), computed off the event loop.

Station passwords are checked at every reconnect, so a verified (station, password) pair is
remembered by a keyed digest for the life of the process: a fleet reconnecting after a restart
costs one Argon2 check per station, not one per attempt.
"""

import hashlib
import hmac
import secrets

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_cache_key = secrets.token_bytes(32)
_verified: dict[str, bytes] = {}


async def hash_password(password: str) -> str:
    return await anyio.to_thread.run_sync(_hasher.hash, password)


async def verify_password(stored_hash: str, password: str) -> bool:
    digest = hmac.new(_cache_key, f"{stored_hash}\0{password}".encode(), hashlib.sha256).digest()
    if hmac.compare_digest(_verified.get(stored_hash, b""), digest):
        return True
    ok = await anyio.to_thread.run_sync(_verify, stored_hash, password)
    if ok:
        _verified[stored_hash] = digest
    return ok


def _verify(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False
