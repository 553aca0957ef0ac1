"""Process configuration, read once from `CHARGEYARD_*` environment variables and CLI flags.

Nothing here reads the environment at import time: `Settings()` is built by the CLI (or a test)
and passed down, so two servers with different settings can run in one test process.
"""

import socket

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_node_id() -> str:
    return socket.gethostname()


class Settings(BaseSettings):
    """Every tunable of a Chargeyard node."""

    model_config = SettingsConfigDict(env_prefix="CHARGEYARD_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./chargeyard.db"
    host: str = "127.0.0.1"
    port: int = 8000
    node_id: str = Field(default_factory=_default_node_id)
    log_level: str = "info"

    auto_register_organization: str | None = Field(
        default=None,
        description="When set, unknown stations are admitted as Pending in this organization.",
    )
    heartbeat_interval_s: int = 300
    call_timeout_s: float = 30.0
    message_log_flush_s: float = 0.25

    webhooks_allow_private_targets: bool = False
