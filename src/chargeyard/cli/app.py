"""`chargeyard`: serve, migrate, simulate, check conformance, manage tokens and certificates,
run retention.

Every command's module is imported at the CLI's start (typer reads every command's options),
and `chargeyard serve` listens before anything slow (`listening_socket`). So the command
modules import their work (the database, the app, the simulator, cryptography) inside the
commands: before the bind, the CLI imports only typer, uvicorn, the settings and the logging
set-up (`tests/cli/test_serve.py` checks it). It took about 3 s on a loaded machine before.
"""

import gc
import os
import socket
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from chargeyard.cli.certificates import certificates
from chargeyard.cli.conformance import conformance
from chargeyard.cli.retention import retention
from chargeyard.cli.simulate import simulate
from chargeyard.cli.tokens import tokens
from chargeyard.observability.logs import configure_logging
from chargeyard.settings import Settings

app = typer.Typer(help="Chargeyard: an open-source EV charging platform.", no_args_is_help=True)
app.add_typer(tokens, name="tokens")
app.add_typer(certificates, name="certificates")
app.add_typer(retention, name="retention")
app.command()(simulate)
app.command()(conformance)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port.")] = None,
    database_url: Annotated[
        str | None, typer.Option(help="SQLAlchemy URL; default CHARGEYARD_DATABASE_URL.")
    ] = None,
    tls_certificate: Annotated[
        Path | None, typer.Option(help="PEM server certificate chain: serve TLS (wss/https).")
    ] = None,
    tls_key: Annotated[Path | None, typer.Option(help="PEM key of --tls-certificate.")] = None,
    tls_client_ca: Annotated[
        Path | None, typer.Option(help="CA bundle for station client certificates (profile 3).")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Worker processes; default one per core on PostgreSQL with "
            "CHARGEYARD_REDIS_URL, else 1.",
        ),
    ] = None,
) -> None:
    """Run the server: REST API, docs and the OCPP endpoint, after migrating the schema."""
    options = {
        "host": host,
        "port": port,
        "database_url": database_url,
        "tls_certificate": tls_certificate,
        "tls_key": tls_key,
        "tls_client_ca": tls_client_ca,
    }
    overrides = {k: v for k, v in options.items() if v}
    settings = Settings(**overrides)  # type: ignore[arg-type]
    configure_logging(settings.log_format, settings.log_level)
    count = worker_count(settings, workers)
    # One node alone listens from the start; a node of a cluster only once it can serve, so
    # that the load balancer sends the stations to the other nodes meanwhile.
    listener = listening_socket(settings) if settings.redis_url is None else None
    from chargeyard.storage.migrate import upgrade

    upgrade(settings.database_url)
    if count > 1:
        serve_workers(settings, overrides, count)
        return
    from chargeyard.api.app import create_app
    from chargeyard.protocol.tls import server_config

    config = server_config(
        create_app(settings),
        settings,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        log_config=None,  # keep the handlers configure_logging installed (text or JSON)
    )
    # Everything imported and built so far lives as long as the process: keep it out of the
    # full collections, which otherwise scan it all and stall the event loop for 100-300 ms.
    gc.collect()
    gc.freeze()
    uvicorn.Server(config).run(sockets=None if listener is None else [listener])


def listening_socket(settings: Settings) -> socket.socket:
    """The server's socket, bound and listening before anything slow runs: the migration check,
    importing and building the app, its start-up (several seconds on a loaded machine). A
    station that connects meanwhile waits in the listen backlog and is served once the app is
    up. Refused instead, every station of a restarted server backed off again (1 s doubling to
    30 s, as stations do), so the fleet came back a backoff step or two after the server did.

    Only for a node alone (no cluster bus): behind a load balancer, a starting node that
    accepted connections would hold stations that the other nodes could serve at once (a
    balancer passes over a node that refuses, not over one that accepts and waits)."""
    config = uvicorn.Config(
        "chargeyard.api.app:app_from_environment",
        host=settings.host,
        port=settings.port,
        log_config=None,
    )
    sock = config.bind_socket()
    sock.listen(config.backlog)
    return sock


def worker_count(settings: Settings, requested: int | None) -> int:
    """How many worker processes: more than one needs PostgreSQL and the Redis bus."""
    postgres = settings.database_url.startswith("postgresql")
    if requested is None:
        return len(os.sched_getaffinity(0)) if postgres and settings.redis_url else 1
    if requested > 1 and not postgres:
        raise typer.BadParameter("SQLite has one writer: one process", param_hint="--workers")
    if requested > 1 and not settings.redis_url:
        raise typer.BadParameter(
            "several workers need the cluster bus: set CHARGEYARD_REDIS_URL (redis://host:port/db)",
            param_hint="--workers",
        )
    if requested > 1 and settings.worker_id:
        raise typer.BadParameter(
            "CHARGEYARD_WORKER_ID names one process: unset it to run several workers",
            param_hint="--workers",
        )
    return requested


def serve_workers(settings: Settings, overrides: Mapping[str, object], count: int) -> None:
    """uvicorn's own multiprocess supervisor over one listening socket; every worker builds the
    app from the environment (`app_from_environment`), so the CLI's options go there first."""
    from uvicorn.supervisors import Multiprocess

    from chargeyard.observability.metrics import multiprocess_dir, prepare_multiprocess_dir
    from chargeyard.protocol.tls import server_config

    for key, value in overrides.items():
        os.environ[f"CHARGEYARD_{key.upper()}"] = str(value)
    if multiprocess_dir() is None:
        # Each worker writes its samples there; /metrics on any worker serves them all merged.
        prepare_multiprocess_dir(Path(tempfile.mkdtemp(prefix="chargeyard-metrics-")))
    config = server_config(
        "chargeyard.api.app:app_from_environment",
        settings,
        factory=True,
        workers=count,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        log_config=None,
    )
    Multiprocess(config, sockets=[config.bind_socket()]).run()


@app.command()
def migrate(
    database_url: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Bring the database schema to the newest version."""
    from chargeyard.storage.migrate import upgrade

    settings = Settings(**({"database_url": database_url} if database_url else {}))  # type: ignore[arg-type]
    upgrade(settings.database_url)
    typer.echo("database is up to date")


def main() -> None:
    app()
