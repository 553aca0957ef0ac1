"""Secrets Chargeyard must read back, sealed at rest under the server key.

Passwords and API tokens are only ever compared, so they are stored as hashes. A webhook
signing secret is different: Chargeyard needs the secret itself to sign every delivery. So it is
stored sealed: AES-256-GCM under a key derived (HKDF-SHA256) from the server secret key
(`secret_key.py`, kept outside the database), with the row's id as associated data, so a sealed
value copied to another row does not open. A stolen database alone yields no usable secret.

A stored value without the `sealed:v1:` prefix is a secret from before sealing existed: `open`
returns it as it is, and `chargeyard serve` seals such rows at start (`webhooks/sealing.py`),
because the migration that adds sealing runs without the server key.
"""

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "sealed:v1:"
_NONCE_BYTES = 12
_INFO = b"chargeyard sealed secrets v1"


class SealError(ValueError):
    """A sealed value that does not open under this server's key (another key, or tampered)."""


class Sealer:
    def __init__(self, server_key: bytes) -> None:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
            server_key
        )
        self._aead = AESGCM(derived)

    def seal(self, secret: str, row_id: str) -> str:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, secret.encode(), row_id.encode())
        return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()

    def open(self, stored: str, row_id: str) -> str:
        if not is_sealed(stored):
            return stored
        raw = base64.urlsafe_b64decode(stored.removeprefix(PREFIX))
        try:
            plain = self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], row_id.encode())
        except InvalidTag:
            raise SealError(
                "a sealed secret does not open: is CHARGEYARD_SECRET_KEY the key it was sealed "
                "with?"
            ) from None
        return plain.decode()


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)
