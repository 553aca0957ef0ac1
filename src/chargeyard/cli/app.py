"""`chargeyard`: serve, migrate, simulate, and manage tokens."""

import gc
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from chargeyard.cli.certificates import certificates
from chargeyard.cli.simulate import simulate
from chargeyard.cli.tokens import tokens
from chargeyard.observability.logs import configure_logging
from chargeyard.settings import Settings
from chargeyard.storage.migrate import upgrade

app = typer.Typer(help="Chargeyard: an open-source EV charging platform.", no_args_is_help=True)
app.add_typer(tokens, name="tokens")
app.add_typer(certificates, name="certificates")
app.command()(simulate)


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
    upgrade(settings.database_url)
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
    uvicorn.Server(config).run()


@app.command()
def migrate(
    database_url: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Bring the database schema to the newest version."""
    settings = Settings(**({"database_url": database_url} if database_url else {}))  # type: ignore[arg-type]
    upgrade(settings.database_url)
    typer.echo("database is up to date")


def main() -> None:
    app()
