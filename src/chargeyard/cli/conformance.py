"""`chargeyard conformance`: act as a station against a running CSMS and run the OCTT-named
cases (chargeyard.conformance), one line per case; exit 0 only when every applicable case
passed."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlsplit, urlunsplit

import typer

from chargeyard.cli.clock import command_clock

if TYPE_CHECKING:
    from chargeyard.conformance.case import Result

# The conformance imports are inside the functions: the CLI imports this module at every start,
# `chargeyard serve` included, which listens before anything heavy (`cli/app.py`).


def conformance(
    ctx: typer.Context,
    url: Annotated[str, typer.Option(help="The CSMS's OCPP base URL, e.g. ws://host/ocpp.")],
    station_id: Annotated[str, typer.Option(help="A station registered at the CSMS.")],
    password: Annotated[str, typer.Option(help="Its HTTP Basic password (profile 1/2).")],
    version: Annotated[str, typer.Option(help="OCPP version: 1.6 or 2.0.1.")] = "1.6",
    junit: Annotated[Path | None, typer.Option(help="Also write JUnit XML here.")] = None,
    id_tag: Annotated[
        str | None, typer.Option(help="An ID tag the CSMS accepts (for the charging cases).")
    ] = None,
    api_url: Annotated[
        str | None,
        typer.Option(help="Chargeyard's REST base URL (default: the --url's host, over http(s))."),
    ] = None,
    api_token: Annotated[
        str | None,
        typer.Option(help="An operator API token: runs the cases in which the CSMS must act."),
    ] = None,
    case: Annotated[
        list[str] | None, typer.Option("--case", help="Run only this case id (repeatable).")
    ] = None,
) -> None:
    """Run the OCTT CSMS test cases against a running CSMS, acting as the station."""
    from chargeyard.conformance.case import Verdict
    from chargeyard.conformance.junit import write_junit
    from chargeyard.conformance.runner import VERSIONS, passed

    if version not in VERSIONS:
        raise typer.BadParameter(f"choose one of {', '.join(VERSIONS)}", param_hint="--version")
    if api_token and not api_url:
        api_url = same_server(url)
    results = asyncio.run(
        _run(url, station_id, password, version, id_tag, api_url, api_token, case, ctx)
    )
    counts = {verdict: sum(r.verdict is verdict for r in results) for verdict in Verdict}
    typer.echo(
        f"OCPP {version}: {counts[Verdict.PASS]} passed, {counts[Verdict.FAIL]} failed, "
        f"{counts[Verdict.NOT_APPLICABLE]} not applicable"
    )
    if junit is not None:
        write_junit(junit, results, f"OCTT CSMS OCPP {version}")
    raise typer.Exit(0 if passed(results) else 1)


async def _run(
    url: str,
    station_id: str,
    password: str,
    version: str,
    id_tag: str | None,
    api_url: str | None,
    api_token: str | None,
    only: list[str] | None,
    ctx: typer.Context,
) -> list[Result]:
    from chargeyard.conformance.context import Target
    from chargeyard.conformance.operator_api import OperatorApi
    from chargeyard.conformance.runner import run

    api = OperatorApi(api_url, api_token) if api_url and api_token else None
    target = Target(url, station_id, password, id_tag, api, clock=command_clock(ctx))
    try:
        return await run(target, version, only or (), _print)
    finally:
        if api is not None:
            await api.aclose()


def same_server(ocpp_url: str) -> str:
    """`ws://host:port/ocpp` -> `http://host:port` (wss -> https): Chargeyard serves its REST
    API and its OCPP endpoint on one port."""
    parts = urlsplit(ocpp_url)
    scheme = "https" if parts.scheme == "wss" else "http"
    return urlunsplit((scheme, parts.netloc, "", "", ""))


def _print(result: Result) -> None:
    line = f"{result.verdict.value:<14} {result.case.id:<15} {result.case.title}"
    if result.reason:
        line += f" - {result.reason}"
    typer.echo(line)
