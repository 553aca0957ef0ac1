"""`chargeyard certificates`: files a small deployment can serve TLS with."""

from pathlib import Path

from cryptography import x509
from cryptography.x509.oid import NameOID
from typer.testing import CliRunner

from chargeyard.cli.certificates import certificates

runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(certificates, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_init_ca_then_server_then_station(tmp_path: Path) -> None:
    output = run("init-ca", "--dir", str(tmp_path))
    assert f"CHARGEYARD_CA_KEY={tmp_path / 'ca.key'}" in output
    run("server", "--dir", str(tmp_path), "--host", "csms.example", "--host", "10.0.0.5")
    run("station", "--dir", str(tmp_path), "--station-id", "CP-42", "--key-type", "rsa")

    ca = x509.load_pem_x509_certificate((tmp_path / "ca.pem").read_bytes())
    server, issuer = x509.load_pem_x509_certificates((tmp_path / "server.pem").read_bytes())
    assert issuer == ca
    server.verify_directly_issued_by(ca)
    station = x509.load_pem_x509_certificates((tmp_path / "stations" / "CP-42.pem").read_bytes())[0]
    station.verify_directly_issued_by(ca)
    assert station.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "CP-42"
    for key in ("ca.key", "server.key", "stations/CP-42.key"):
        assert (tmp_path / key).stat().st_mode & 0o777 == 0o600


def test_nothing_is_overwritten_without_force(tmp_path: Path) -> None:
    run("init-ca", "--dir", str(tmp_path))
    before = (tmp_path / "ca.pem").read_bytes()
    refused = runner.invoke(certificates, ["init-ca", "--dir", str(tmp_path)])
    assert refused.exit_code == 1
    assert (tmp_path / "ca.pem").read_bytes() == before
    run("init-ca", "--dir", str(tmp_path), "--force")
    assert (tmp_path / "ca.pem").read_bytes() != before


def test_certificates_need_a_ca_first(tmp_path: Path) -> None:
    result = runner.invoke(certificates, ["server", "--dir", str(tmp_path), "--host", "x"])
    assert result.exit_code == 1
    assert "init-ca" in result.output
