"""Process configuration, read once from `CHARGEYARD_*` environment variables and CLI flags.

Nothing here reads the environment at import time: `Settings()` is built by the CLI (or a test)
and passed down, so two servers with different settings can run in one test process.
"""

import socket
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
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
    api_max_body_bytes: int = Field(
        default=1_048_576,
        gt=0,
        description="A REST request body larger than this is answered 413 (docs/api.md).",
    )
    heartbeat_interval_s: int = 300
    call_timeout_s: float = 30.0
    cost_updated_interval_s: float = Field(
        default=60.0,
        ge=0,
        description="A 2.x station that shows costs (TariffCostCtrlr) gets a session's running "
        "cost in a CostUpdated call at most this often (0: on every change).",
    )
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
    smart_charging_constraints_read_period_s: float | None = Field(
        default=900.0,
        gt=0,
        description="How often managed OCPP 2.x stations' ChargingStationExternalConstraints "
        "are read again, to see a change the external system made without a notification; "
        "unset: only at boots, moves and notifications.",
    )
    smart_charging_resend_step_kw: float = Field(
        default=0.5,
        ge=0,
        description="A profile whose limit would rise by less than this is not resent "
        "(decreases always are).",
    )
    smart_charging_admission_retry_s: int = Field(
        default=2,
        ge=1,
        description="The boot interval a station on a managed circuit is answered with while it "
        "waits (Pending) for its limits to be in place.",
    )
    smart_charging_admission_max_wait_s: float = Field(
        default=120.0,
        ge=0,
        description="A station not admitted after this long is accepted anyway (its sessions "
        "counted at their maximum); 0 turns admission off.",
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

    # Observability and operation (docs/deployment.md): metrics, readiness, logs.
    metrics_public: bool = Field(
        default=False,
        description="Serve GET /metrics without authentication (otherwise an admin token).",
    )
    health_check_timeout_s: float = Field(
        default=3.0,
        gt=0,
        description="Each /health/ready check (database, writes, Redis) gets this long.",
    )
    log_format: Literal["text", "json"] = Field(
        default="text", description="text: one readable line per record; json: one JSON object."
    )

    # Connection robustness of the OCPP endpoint (issue 16: dead, greedy and hostile
    # connections, restarts); see docs/security.md "Connections".
    ws_ping_interval_s: float = Field(
        default=20.0, ge=0, description="WebSocket ping every this many seconds; 0: no pings."
    )
    ws_ping_timeout_s: float = Field(
        default=20.0,
        ge=0,
        description="A ping unanswered this long closes the connection (1011); 0: never.",
    )
    ws_max_frame_bytes: int = Field(
        default=65_536, ge=1024, description="A larger WebSocket message closes with 1009."
    )
    ws_handshake_timeout_s: float = Field(
        default=10.0,
        gt=0,
        description="A connection that has not completed its HTTP request (WebSocket handshake "
        "included) this long after it opened is closed.",
    )
    ws_handshake_concurrency: int = Field(
        default=256,
        ge=1,
        description="Station handshakes admitted at once by a worker; beyond it a station is "
        "answered 503 with Retry-After at once, before any database work, so a reconnect storm "
        "waits in the stations' backoff instead of in the server, where it would time out.",
    )
    station_idle_heartbeats: float = Field(
        default=3.0,
        ge=0,
        description="A station that sends no frame for this many heartbeat intervals is "
        "disconnected (0: never).",
    )
    auth_max_failures: int = Field(
        default=5,
        ge=1,
        description="Failed sign-ins in a row on one station id or e-mail before it is locked "
        "(station handshake and REST Basic).",
    )
    auth_address_max_failures: int = Field(
        default=50,
        ge=1,
        description="Failed sign-ins in a row from one source address before it is locked.",
    )
    auth_lockout_s: float = Field(
        default=30.0, gt=0, description="The first lockout; each further one doubles it."
    )
    auth_max_lockout_s: float = Field(default=900.0, gt=0, description="The longest lockout.")
    auth_forget_after_s: float = Field(
        default=900.0, gt=0, description="A key with no failure for this long starts over."
    )
    create_conflicts_per_window: int = Field(
        default=20,
        ge=1,
        description="Creates refused as taken (station id, e-mail) an organization may meet "
        "before its creates answer 429 for `auth_lockout_s` (a brake on probing for names).",
    )
    station_rate_limit_per_s: float = Field(
        default=20.0, ge=0, description="CALLs per second a station may sustain (0: no limit)."
    )
    station_rate_limit_burst: int = Field(
        default=60, ge=1, description="CALLs a station may send at once above the sustained rate."
    )
    shutdown_drain_s: float = Field(
        default=10.0,
        ge=0,
        description="On SIGTERM, how long station sockets get to close before they are cut.",
    )
    shutdown_close_rate: float = Field(
        default=20.0,
        gt=0,
        description="On SIGTERM in a cluster, station sockets closed (1012) per second, so the "
        "other nodes admit the stations moving to them without shedding any; the last close "
        "goes out within 80 % of shutdown_drain_s whatever the rate. A single node (no Redis "
        "URL) closes them all at once.",
    )
    secret_key: str | None = Field(
        default=None,
        description="Server secret keying the stored fast password verifiers; every node of a "
        "cluster needs the same. Unset: read (or created) at secret_key_file.",
    )
    secret_key_file: Path | None = Field(
        default=None,
        description="File holding the secret key; default: '<database>.key' beside a SQLite "
        "database (created with mode 0600 on first start).",
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses/CIDRs of TLS-terminating proxies whose forwarded "
        "client certificate and X-Forwarded-Proto are believed.",
    )
    tls_client_cert_header: str | None = Field(
        default=None,
        description="Header in which a trusted proxy forwards the URL-escaped PEM client "
        "certificate (e.g. X-SSL-Client-Cert, nginx's $ssl_client_escaped_cert).",
    )

    public_url: str | None = Field(
        default=None,
        description="The base URL stations reach this server at (e.g. https://csms.example.com), "
        "used in the upload and download URLs given to them; unset: the URL of the request.",
    )
    dashboard_url: str | None = Field(
        default=None,
        description="The base URL people open the dashboard at (e.g. https://csms.example.com); "
        "alert digests link to its station and alert pages. Unset: public_url; neither: no "
        "links.",
    )

    @field_validator("dashboard_url")
    @classmethod
    def _absolute_http_url(cls, value: str | None) -> str | None:
        """Refused at start-up rather than mailed: a link must be absolute http(s)."""
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an absolute http(s) URL, e.g. https://csms.example.com")
        if parts.query or parts.fragment:
            raise ValueError("must have no query or fragment")
        return value.strip().rstrip("/")

    files_max_bytes: int = Field(
        default=64 * 1024 * 1024,
        ge=1024,
        description="Largest diagnostics, log or firmware file accepted, in bytes.",
    )

    # Retention (docs/retention.md): 0 keeps a kind of record for ever.
    retention_message_log_days: int = Field(
        default=90, ge=0, description="Days OCPP frames are kept in the message log (0: for ever)."
    )
    retention_meter_values_days: int = Field(
        default=90,
        ge=0,
        description="Days raw meter values are kept; older ones are rolled up by the hour, "
        "which is kept for ever (0: keep raw values for ever). A session still open keeps all.",
    )
    retention_events_days: int = Field(
        default=365,
        ge=0,
        description="Days events are kept once streamed and delivered to webhooks (0: for ever).",
    )
    retention_webhook_deliveries_days: int = Field(
        default=30,
        ge=0,
        description="Days finished webhook deliveries and their attempts are kept (0: for ever).",
    )
    retention_interval_s: float = Field(
        default=3600.0, ge=0, description="Seconds between retention passes (0: never run)."
    )
    retention_batch_size: int = Field(
        default=5000, ge=1, le=100_000, description="Rows deleted per write transaction."
    )

    # Cluster (docs/architecture.md, "Cluster"): with a Redis URL, several workers and nodes on
    # one PostgreSQL database form one cluster; without it one process is the whole system.
    redis_url: str | None = Field(
        default=None,
        description="redis://host:port/db of the cluster bus; unset: an in-memory bus (one process).",
    )
    worker_id: str | None = Field(
        default=None,
        description="This process's id in the cluster; default node_id (in-memory bus) or "
        "node_id:pid (Redis bus).",
    )
    cluster_worker_ttl_s: float = Field(
        default=10.0,
        gt=0,
        description="A worker whose heartbeat is older than this is gone: its stations read as "
        "disconnected.",
    )
    cluster_heartbeat_s: float = Field(
        default=3.0, gt=0, description="How often a worker refreshes its presence and sweeps."
    )

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

    # The KPIs' daily rollup (docs/alerts.md, "KPIs").
    kpis_rollup_s: float = Field(
        default=10.0,
        ge=0,
        description="Seconds between the daily KPI rollup's passes (0: never run; the KPIs are "
        "then measured from the histories alone, with the same answers).",
    )
    kpis_rollup_days: int = Field(
        default=400,
        ge=0,
        le=36_600,
        description="How many past days the daily KPI rollup keeps filled (older days are "
        "measured from the histories).",
    )

    # Alerts (docs/alerts.md).
    alerts_sweep_s: float = Field(
        default=1.0,
        gt=0,
        description="How often the alert evaluator looks for stations offline past their "
        "threshold (and back again) and times the swept rules' conditions (boots not accepted, "
        "stalled meters, zombie sessions); a threshold is met within this.",
    )

    # Alert e-mail (docs/alerts.md, "Notifications"); unset smtp_host: no e-mail is sent.
    smtp_host: str | None = Field(
        default=None, description="SMTP server for alert e-mail; unset turns e-mail off."
    )
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_user: str | None = Field(default=None, description="SMTP login; unset: no login.")
    smtp_password: SecretStr | None = Field(
        default=None, description="SMTP password; never logged nor shown by the API."
    )
    smtp_security: Literal["starttls", "tls", "none"] = Field(
        default="starttls",
        description="starttls: upgrade a plain connection (port 587); tls: implicit TLS (port "
        "465); none: plain text (a relay on the loopback only).",
    )
    smtp_from: str = Field(
        default="chargeyard@localhost", description="The From address of alert e-mail."
    )
    smtp_timeout_s: float = Field(default=30.0, gt=0)
    alerts_mail_window_s: float = Field(
        default=60.0,
        ge=0,
        description="Alerts raised (or resolved) within this many seconds of the first one are "
        "mailed together, as one digest per organization and recipient list.",
    )
    alerts_mail_max_listed: int = Field(
        default=200, ge=1, description="A digest lists this many alerts, then counts the rest."
    )
    alerts_mail_retry_s: float = Field(
        default=30.0, gt=0, description="The first wait after a failed send; doubled each time."
    )
    alerts_mail_retry_max_s: float = Field(
        default=3600.0, gt=0, description="The longest wait between two attempts of a digest."
    )
    alerts_mail_max_attempts: int = Field(
        default=25, ge=1, description="A digest not sent after this many attempts is Failed."
    )
    alerts_mail_max_age_s: float = Field(
        default=86_400.0,
        gt=0,
        description="Alert events older than this when the mailer reads them are not mailed "
        "(e-mail turned on again after a long time off does not mail the backlog).",
    )
