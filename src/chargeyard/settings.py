"""Process configuration, read once from `CHARGEYARD_*` environment variables and CLI flags.

Nothing here reads the environment at import time: `Settings()` is built by the CLI (or a test)
and passed down, so two servers with different settings can run in one test process.
"""

import socket
from pathlib import Path
from typing import Literal

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
    smart_charging_period_s: float = Field(
        default=60.0, gt=0, description="Smart charging re-optimizes every site this often."
    )
    smart_charging_deviation_kw: float = Field(
        default=1.5,
        ge=0,
        description="Meter values re-optimize when power differs from the offer by more.",
    )
    smart_charging_check_period_s: float | None = Field(
        default=None,
        gt=0,
        description="How often stations' composite schedules are compared with what smart "
        "charging requested (charging_profile.deviation); unset: never.",
    )
    message_log_flush_s: float = 0.25

    # TLS (security profiles 2 and 3); see docs/security.md. TLS 1.2 is the floor, always.
    tls_certificate: Path | None = Field(
        default=None, description="PEM server certificate chain; setting it turns TLS on."
    )
    tls_key: Path | None = Field(default=None, description="PEM private key of tls_certificate.")
    tls_client_ca: Path | None = Field(
        default=None,
        description="PEM CA bundle that station client certificates (profile 3) must chain to; "
        "defaults to ca_certificate.",
    )
    tls_minimum_version: Literal["1.2", "1.3"] = "1.2"
    ca_certificate: Path | None = Field(
        default=None, description="The built-in CA that signs station CSRs (SignCertificate)."
    )
    ca_key: Path | None = None
    station_certificate_days: int = 365
    iso15118_provider: str | None = Field(
        default=None, description='"module:factory" building the ISO 15118 certificate provider.'
    )

    webhooks_allow_private_targets: bool = False
    webhooks_retry_schedule_s: list[float] = Field(
        default=[5, 30, 120, 600, 1800, 3600, 7200, 14400, 28800, 28800],
        description="Waits between webhook delivery attempts (each with +/-20% jitter); about a day.",
    )
    webhooks_timeout_s: float = 10.0
    webhooks_max_payload_bytes: int = 1_048_576
    webhooks_max_response_bytes: int = 65_536
    webhooks_secret_grace_s: float = 86_400.0
    webhooks_poll_s: float = Field(
        default=1.0, description="How often the dispatcher looks for due retries without a wake-up."
    )
    webhooks_lease_s: float = 120.0
    webhooks_concurrency: int = 32
    events_stream_keepalive_s: float = 15.0

    # Cluster jobs and events across nodes (docs/architecture.md, "Cluster jobs and leases").
    cluster_lease_ttl_s: float = Field(
        default=12.0,
        gt=0,
        description="How long a job's lease outlives its holder's last renewal (renewed every "
        "third of it): a dead node's jobs move to another node within this.",
    )
    events_poll_s: float = Field(
        default=0.5,
        gt=0,
        description="How often event streams look for events committed by other nodes.",
    )
