import asyncio

import typer
from typer.testing import CliRunner

from chargeyard.cli.simulate import simulate

from .fake_csms import FakeCsms


async def test_simulate_runs_a_fleet_and_prints_progress_and_totals(csms: FakeCsms) -> None:
    csms.settings.boot_interval = 1
    app = typer.Typer()
    app.command()(simulate)
    args = [
        "--url",
        csms.url,
        "--stations",
        "2",
        "--prefix",
        "CLI",
        "--duration",
        "1.5",
        "--heartbeat-interval",
        "1",
        "--meter-interval",
        "1",
        "--progress-interval",
        "0.5",
    ]

    # asyncio.run inside the command needs its own thread; the CSMS runs on this loop.
    result = await asyncio.to_thread(CliRunner().invoke, app, args)

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"simulating 2 ocpp1.6 station(s) against {csms.url}"
    assert any("2/2 connected" in line for line in lines[1:])
    assert "stations:               2 (2 connected at the end)" in lines
    assert {m.station_id for m in csms.received} == {"CLI0000", "CLI0001"}


def test_only_known_protocols_are_accepted() -> None:
    app = typer.Typer()
    app.command()(simulate)

    result = CliRunner().invoke(app, ["--protocol", "ocpp9"])

    assert result.exit_code == 2
