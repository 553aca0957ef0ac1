"""The server secret that keys stored password verifiers: never stored in the database.

Resolved once at start: `CHARGEYARD_SECRET_KEY` if set; otherwise the key file
(`CHARGEYARD_SECRET_KEY_FILE`, by default `<database file>.key` beside a SQLite database and
`chargeyard.key` in the working directory for other databases), created on first start with
256 random bits and mode 0600. Every node of a cluster must use the same key (set the variable
or share the file): a node with another key cannot use the verifiers the others stored, so it
verifies with Argon2 and rewrites them, which is safe but as slow as having no verifiers.
"""

import logging
import os
import secrets
import stat
from pathlib import Path

from sqlalchemy.engine import make_url

from chargeyard.settings import Settings

logger = logging.getLogger(__name__)

DEFAULT_KEY_FILE = Path("chargeyard.key")
MIN_KEY_CHARACTERS = 32


def secret_key(settings: Settings) -> bytes:
    if settings.secret_key is not None:
        if len(settings.secret_key) < MIN_KEY_CHARACTERS:
            raise ValueError(
                f"CHARGEYARD_SECRET_KEY must have at least {MIN_KEY_CHARACTERS} characters "
                "(e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)"
            )
        return settings.secret_key.encode()
    return _key_file(settings.secret_key_file or default_key_file(settings.database_url))


def default_key_file(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(f"{url.database}.key")
    return DEFAULT_KEY_FILE


def _key_file(path: Path) -> bytes:
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        # Another process (a worker starting beside this one) may have just created it.
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            logger.warning("secret key file %s is readable by others: chmod 600 it", path)
        key = path.read_text().strip()
        if len(key) < MIN_KEY_CHARACTERS:
            raise ValueError(f"secret key file {path} holds fewer than 32 characters") from None
        return key.encode()
    with os.fdopen(descriptor, "w") as file:
        key = secrets.token_hex(32)
        file.write(key + "\n")
    logger.info("created the secret key file %s (share it with every node of a cluster)", path)
    return key.encode()
