"""Fast, keyed password verifiers stored beside a station's Argon2 hash.

Station passwords are checked at every (re)connection, and an Argon2 check costs 20-60 ms of a
core: after a restart a whole fleet reconnects at once. So after one successful Argon2 check the
station row also stores

    verifier = HMAC-SHA256(server secret key, station id, password hash, password)

and a later connection presenting the same password is admitted by recomputing one HMAC (about
a microsecond). Why this keeps stored credentials safe (see docs/security.md):

- the key is not in the database (`secret_key.py`): a stolen database alone gives a MAC under an
  unknown 256-bit key, which says nothing about the password and cannot be brute-forced;
- with the key as well, an attacker can test guesses at HMAC speed rather than Argon2 speed, but
  station passwords are 16-40 characters chosen by an operator or generated (`token_urlsafe`,
  144 bits), far beyond brute force at any speed;
- the station id and the hash are inside the MAC: a verifier copied to another station, or
  left over after a password change (new hash, new salt), matches nothing.
"""

import hashlib
import hmac

_DOMAIN = b"chargeyard station password verifier v1"
PREFIX = "v1$"


def password_verifier(key: bytes, station_id: str, password_hash: str, password: str) -> str:
    mac = hmac.new(key, _DOMAIN, hashlib.sha256)
    for part in (station_id, password_hash, password):
        data = part.encode()
        # Length-prefixed, so no two different triples feed the MAC the same bytes.
        mac.update(len(data).to_bytes(4, "big") + data)
    return PREFIX + mac.hexdigest()


def verifier_matches(
    stored: str | None, key: bytes, station_id: str, password_hash: str, password: str
) -> bool:
    if not stored:
        return False
    expected = password_verifier(key, station_id, password_hash, password)
    return hmac.compare_digest(stored.encode(), expected.encode())
