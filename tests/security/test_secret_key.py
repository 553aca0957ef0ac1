"""Where the server secret comes from, and how its file is made."""

import stat
from pathlib import Path

import pytest

from chargeyard.security.secret_key import default_key_file, secret_key
from chargeyard.settings import Settings


def test_the_key_file_is_made_once_readable_by_its_owner_only(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/cy.db")
    key = secret_key(settings)
    path = tmp_path / "cy.db.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) == 64
    assert secret_key(settings) == key  # a restart reads the same key


def test_the_setting_wins_and_must_be_long(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/cy.db"
    assert secret_key(Settings(database_url=url, secret_key="s" * 40)) == b"s" * 40
    assert not (tmp_path / "cy.db.key").exists()
    with pytest.raises(ValueError, match="at least 32"):
        secret_key(Settings(database_url=url, secret_key="short"))


def test_other_databases_default_to_the_working_directory() -> None:
    assert default_key_file("postgresql+asyncpg://u:p@h/db") == Path("chargeyard.key")
