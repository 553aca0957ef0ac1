"""`chargeyard certificates`: a CA, a server certificate and station certificates for TLS.

For a test or small deployment (docs/security.md). Everything lands in one directory:
`ca.pem`/`ca.key`, `server.pem` (chain)/`server.key`, `stations/<id>.pem`/`<id>.key`.
Private keys are written readable by their owner only.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from chargeyard.cli.clock import command_clock

if TYPE_CHECKING:
    from chargeyard.certificates.authority import CertificateAuthority, KeyPair
    from chargeyard.certificates.domain import KeyType

# The certificate imports (cryptography) are inside the functions: the CLI imports this module
# at every start, `chargeyard serve` included, which listens before anything heavy (`cli/app.py`).


class KeyChoice(Enum):
    """The choices of --key-type: `certificates.domain.KeyType`, named here so that the CLI's
    start does not import cryptography (a test keeps them equal)."""

    EC = "ec"
    RSA = "rsa"


certificates = typer.Typer(
    help="Create a certificate authority and TLS certificates.", no_args_is_help=True
)

Directory = Annotated[Path, typer.Option("--dir", help="Where the CA and certificates live.")]
KeyTypeOption = Annotated[KeyChoice, typer.Option(help="ec (P-256) or rsa (2048 bits).")]


def _key_type(choice: KeyChoice) -> KeyType:
    from chargeyard.certificates.domain import KeyType

    return KeyType(choice.value)


def _load(directory: Path) -> CertificateAuthority:
    from chargeyard.certificates.authority import CertificateAuthority

    certificate, key = directory / "ca.pem", directory / "ca.key"
    if not certificate.exists() or not key.exists():
        typer.echo(f"no CA in {directory}; run `chargeyard certificates init-ca` first", err=True)
        raise typer.Exit(1)
    return CertificateAuthority.load(certificate, key)


def _check_free(certificate: Path, key: Path, force: bool) -> None:
    if not force and (certificate.exists() or key.exists()):
        typer.echo(f"{certificate} exists; pass --force to replace it", err=True)
        raise typer.Exit(1)


def _write(pair: KeyPair, certificate: Path, key: Path, force: bool) -> None:
    from chargeyard.certificates.authority import write_private

    _check_free(certificate, key, force)
    certificate.parent.mkdir(parents=True, exist_ok=True)
    certificate.write_text(pair.chain_pem)
    write_private(key, pair.key_pem)
    typer.echo(f"wrote {certificate} and {key}")


@certificates.command("init-ca")
def init_ca(
    ctx: typer.Context,
    directory: Directory,
    name: Annotated[str, typer.Option(help="The CA's common name.")] = "Chargeyard CA",
    days: Annotated[int, typer.Option(help="Validity in days.")] = 3650,
    key_type: KeyTypeOption = KeyChoice.EC,
    force: Annotated[bool, typer.Option(help="Replace an existing CA.")] = False,
) -> None:
    """Create the certificate authority that signs server and station certificates."""
    from chargeyard.certificates.authority import CertificateAuthority

    certificate, key = directory / "ca.pem", directory / "ca.key"
    _check_free(certificate, key, force)
    directory.mkdir(parents=True, exist_ok=True)
    authority = CertificateAuthority.create(
        name, now=command_clock(ctx)(), valid_days=days, key_type=_key_type(key_type)
    )
    authority.save(certificate, key)
    typer.echo(f"wrote {certificate} and {key}")
    typer.echo(f"CHARGEYARD_CA_CERTIFICATE={certificate.resolve()}")
    typer.echo(f"CHARGEYARD_CA_KEY={key.resolve()}")


@certificates.command("server")
def server(
    ctx: typer.Context,
    directory: Directory,
    host: Annotated[
        list[str], typer.Option(help="A host name or IP stations connect to; repeat for more.")
    ],
    days: Annotated[int, typer.Option(help="Validity in days.")] = 825,
    key_type: KeyTypeOption = KeyChoice.EC,
    force: Annotated[bool, typer.Option(help="Replace an existing certificate.")] = False,
) -> None:
    """Issue the TLS server certificate `chargeyard serve` presents (security profiles 2, 3)."""
    authority = _load(directory)
    now = command_clock(ctx)()
    pair = authority.issue_server(host, now=now, valid_days=days, key_type=_key_type(key_type))
    certificate, key = directory / "server.pem", directory / "server.key"
    _write(pair, certificate, key, force)
    typer.echo(f"CHARGEYARD_TLS_CERTIFICATE={certificate.resolve()}")
    typer.echo(f"CHARGEYARD_TLS_KEY={key.resolve()}")


@certificates.command("station")
def station(
    ctx: typer.Context,
    directory: Directory,
    station_id: Annotated[str, typer.Option(help="The station id, the certificate's CN.")],
    days: Annotated[int, typer.Option(help="Validity in days.")] = 365,
    key_type: KeyTypeOption = KeyChoice.EC,
    force: Annotated[bool, typer.Option(help="Replace an existing certificate.")] = False,
) -> None:
    """Issue a client certificate and key for a station (security profile 3)."""
    if not station_id or "/" in station_id:
        typer.echo("a station id is non-empty and has no '/'", err=True)
        raise typer.Exit(1)
    authority = _load(directory)
    pair = authority.issue_station(
        station_id, now=command_clock(ctx)(), valid_days=days, key_type=_key_type(key_type)
    )
    folder = directory / "stations"
    _write(pair, folder / f"{station_id}.pem", folder / f"{station_id}.key", force)
