"""`chargeyard certificates`: the CA and the certificates it issues are valid from the time of
the command's clock (the wall clock from the shell; a handed one here)."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from typer.testing import CliRunner

from chargeyard.cli.app import app
from chargeyard.cli.clock import Handed

NOW = datetime(2031, 3, 4, 5, 6, 7, tzinfo=UTC)


def test_each_certificate_is_valid_from_the_commands_clock(tmp_path: Path) -> None:
    handed = Handed(lambda: NOW)
    for args in (
        ["init-ca", "--days", "10"],
        ["server", "--host", "localhost", "--days", "10"],
        ["station", "--station-id", "CP1", "--days", "10"],
    ):
        result = CliRunner().invoke(
            app, ["certificates", *args, "--dir", str(tmp_path)], obj=handed
        )
        assert result.exit_code == 0, result.output
    for pem in ("ca.pem", "server.pem", "stations/CP1.pem"):
        certificate = x509.load_pem_x509_certificates((tmp_path / pem).read_bytes())[0]
        starts, ends = certificate.not_valid_before_utc, certificate.not_valid_after_utc
        assert starts <= NOW < starts + timedelta(days=1), pem  # (back-dated a little, at most)
        assert ends - NOW <= timedelta(days=10), pem
