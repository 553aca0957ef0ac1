"""Runs a version's cases one after another against one target and reports each as it ends.

A case that lacks what it needs is not run; one that raises anything but `CaseFailed` (the
connection refused, a socket error, its deadline) fails with what happened. Whatever a case
left behind is cleaned up before the next one starts.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence

from chargeyard.conformance import (
    v16_core,
    v16_operations,
    v16_remote,
    v16_smart_charging,
    v201_cases,
    v201_remote,
)
from chargeyard.conformance.case import Case, CaseFailed, Need, Result, Verdict
from chargeyard.conformance.context import CaseContext, Target
from chargeyard.conformance.link import HandshakeRefused

VERSIONS = ("1.6", "2.0.1")
CASE_DEADLINE_S = 60.0


_MODULES = {
    "1.6": (v16_core, v16_remote, v16_smart_charging, v16_operations),
    "2.0.1": (v201_cases, v201_remote),
}


def cases_for(version: str) -> list[Case]:
    """The version's cases in the OCTT's order (by case id)."""
    cases = [case for module in _MODULES[version] for case in module.CATALOG.cases]
    return sorted(cases, key=lambda case: case.id)


def missing(case: Case, target: Target) -> list[Need]:
    have = set()
    if target.api is not None:
        have |= {Need.API, Need.ACCEPTED_TAG}
    if target.id_tag is not None:
        have.add(Need.ACCEPTED_TAG)
    return sorted(case.needs - have)


async def run_case(case: Case, target: Target) -> Result:
    lacking = missing(case, target)
    if lacking:
        reason = "needs " + " and ".join(need.value for need in lacking)
        return Result(case, Verdict.NOT_APPLICABLE, reason, 0.0)
    ctx = CaseContext(target, case.version)
    started = time.monotonic()
    try:
        async with asyncio.timeout(CASE_DEADLINE_S):
            note = await case.body(ctx)
        verdict, reason = Verdict.PASS, note or ""
    except CaseFailed as failure:
        verdict, reason = Verdict.FAIL, str(failure)
    except HandshakeRefused as refused:
        refusal = f"HTTP {refused.status}" if refused.status else str(refused)
        verdict, reason = Verdict.FAIL, f"the CSMS did not upgrade the connection ({refusal})"
    except TimeoutError:
        verdict, reason = Verdict.FAIL, f"did not finish within {CASE_DEADLINE_S:g} s"
    except Exception as error:
        verdict, reason = Verdict.FAIL, f"{type(error).__name__}: {error}"
    finally:
        await ctx.cleanup()
    return Result(case, verdict, reason, time.monotonic() - started)


async def run(
    target: Target,
    version: str,
    only: Sequence[str] = (),
    report: Callable[[Result], None] = lambda _result: None,
) -> list[Result]:
    """Run the version's cases (or those named in `only`), calling `report` after each."""
    results = []
    for case in cases_for(version):
        if only and case.id not in only:
            continue
        result = await run_case(case, target)
        report(result)
        results.append(result)
    return results


def passed(results: Sequence[Result]) -> bool:
    """Every applicable case passed (and at least one was applicable)."""
    applicable = [r for r in results if r.verdict is not Verdict.NOT_APPLICABLE]
    return bool(applicable) and all(r.verdict is Verdict.PASS for r in applicable)
