"""`chargeyard simulate`: run simulated OCPP stations against a CSMS.

Registered on the main app in `cli/app.py`; everything it does is `simulator.run_fleet`,
with a progress line every few seconds and the totals at the end (or on Ctrl-C).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from chargeyard.simulator import FleetConfig, FleetStats

DEFAULT_URL = "ws://127.0.0.1:8000/ocpp"
"""The simulator's `fleet.DEFAULT_URL` (a test keeps them equal)."""


class Protocol(StrEnum):
    """The choices of --protocol: the simulator's `ProtocolVersion`, named here because every
    command's options are read at the CLI's start, and the simulator's import (over a second)
    would come before `chargeyard serve` listens (`cli/app.py`). A test keeps them equal."""

    OCPP16 = "ocpp1.6"
    OCPP201 = "ocpp2.0.1"
    OCPP21 = "ocpp2.1"


def simulate(
    url: Annotated[
        str, typer.Option(help="CSMS OCPP base URL; the station id is appended as /{id}.")
    ] = DEFAULT_URL,
    stations: Annotated[int, typer.Option(min=1, help="How many stations to run.")] = 1,
    prefix: Annotated[
        str, typer.Option(help="Station ids are {prefix}0000, {prefix}0001, ...")
    ] = "SIM",
    password: Annotated[
        str | None, typer.Option(help="HTTP Basic password shared by all stations.")
    ] = None,
    connectors: Annotated[int, typer.Option(min=1, help="Connectors per station.")] = 2,
    duration: Annotated[
        float | None, typer.Option(min=0, help="Seconds to run; default: until Ctrl-C.")
    ] = None,
    heartbeat_interval: Annotated[
        int, typer.Option(min=1, help="Seconds between heartbeats until the CSMS sets it.")
    ] = 60,
    meter_interval: Annotated[
        int, typer.Option(min=1, help="Seconds between MeterValues while charging.")
    ] = 60,
    id_tag: Annotated[str, typer.Option(help="The id tag drivers present.")] = "SIMTAG0001",
    unique_tags: Annotated[
        bool,
        typer.Option(
            help="Each connector's drivers present {id-tag}00001, {id-tag}00002, ... "
            "instead of one shared tag, which a CSMS refuses while it charges elsewhere."
        ),
    ] = False,
    protocol: Annotated[
        Protocol, typer.Option(help="OCPP version the stations speak.")
    ] = Protocol.OCPP16,
    progress_interval: Annotated[
        float, typer.Option(min=0.1, help="Seconds between progress lines.")
    ] = 10.0,
) -> None:
    """Simulate charging stations: boot, heartbeat, status and charging sessions."""
    from chargeyard.simulator import FleetConfig, ProtocolVersion

    config = FleetConfig(
        url=url,
        stations=stations,
        prefix=prefix,
        password=password,
        connectors=connectors,
        duration_s=duration,
        heartbeat_interval=heartbeat_interval,
        meter_interval=meter_interval,
        id_tag=id_tag,
        unique_tags=unique_tags,
        protocol=ProtocolVersion(protocol.value),
        progress_interval_s=progress_interval,
    )
    # The ocpp library logs every late answer to a CALL that already timed out; the
    # timeouts are counted in the stats, so keep the terminal for the progress lines.
    logging.getLogger("ocpp").setLevel(logging.CRITICAL)
    typer.echo(f"simulating {stations} {protocol.value} station(s) against {url}")
    stats = asyncio.run(_run(config))
    typer.echo(stats.report())


async def _run(config: FleetConfig) -> FleetStats:
    """Run until the duration ends or Ctrl-C, which stops the fleet cleanly."""
    from chargeyard.simulator import run_fleet

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):  # no signals off the main thread
        loop.add_signal_handler(signal.SIGINT, stop.set)
    try:
        return await run_fleet(config, on_progress=_print_progress, stop=stop)
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGINT)


def _print_progress(stats: FleetStats) -> None:
    typer.echo(stats.summary())
