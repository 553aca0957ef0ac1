"""The background control loop: re-optimize a site when something that matters changed.

It listens to committed events (`Database.commit_listeners`): a session starting or stopping,
a station connecting, booting or moving to another circuit, operator changes to circuits,
vehicles, prices, demand-response events or measurements, an EV reporting its needs, and
meter values whose power deviates from what the session was offered. Organizations so marked
are re-optimized at once (after a short pause that lets a burst of events coalesce); every
organization with circuits is also re-optimized every `period_s`. One step at a time.
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from chargeyard.clock import Clock
from chargeyard.commands.dispatcher import Dispatcher
from chargeyard.events.models import Event
from chargeyard.load_management.delivery import Attempt, Delivery
from chargeyard.load_management.models import AllocationRow, CircuitRow
from chargeyard.load_management.planner import Plan, plan
from chargeyard.load_management.site_reader import SiteReader
from chargeyard.storage.database import Database

logger = logging.getLogger(__name__)

TRIGGERS = frozenset(
    {
        "session.started",
        "session.stopped",
        "station.connected",
        "station.disconnected",
        "station.booted",
        "station.updated",
        "connector.status_changed",
        "ev.charging_needs",
    }
)
TRIGGER_PREFIXES = (
    "circuit.",
    "vehicle.",
    "energy_price.",
    "demand_response.",
    "measurement.",
    "session_needs.",
    "evse_wiring.",
)
POWER = "Power.Active.Import"


@dataclass(frozen=True)
class ControllerConfig:
    period_s: float = 60.0
    deviation_kw: float = 1.5
    """Meter values re-optimize when power differs from the offer by more than this."""
    settle_s: float = 0.02
    call_timeout_s: float = 10.0


@dataclass(frozen=True)
class StepResult:
    plans: list[Plan]
    attempts: list[Attempt]
    seconds: float


class SmartChargingController:
    def __init__(
        self,
        db: Database,
        dispatcher: Dispatcher,
        clock: Clock,
        config: ControllerConfig = ControllerConfig(),
    ) -> None:
        self.db = db
        self.clock = clock
        self.config = config
        self.delivery = Delivery(db, dispatcher, clock, config.call_timeout_s)
        self._dirty: set[str] = set()
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._allocated: dict[tuple[str, str], dict[int, float]] = {}

    # -- listening ---------------------------------------------------------------------

    def __call__(self, published: Sequence[Any]) -> None:
        for row in published:
            if isinstance(row, Event) and self._matters(row):
                self._dirty.add(row.organization_id)
                self._wake.set()

    def _matters(self, event: Event) -> bool:
        if event.type == "station.booted" and event.station_id:
            self.delivery.forget_station(event.organization_id, event.station_id)
        if event.type in TRIGGERS or event.type.startswith(TRIGGER_PREFIXES):
            return True
        if event.type != "meter_values.received" or event.station_id is None:
            return False
        offered = self.delivery.offered_kw(
            event.organization_id, event.station_id, int(event.data.get("evse_id") or 0)
        )
        measured = _power_kw(event.data.get("samples") or [])
        if offered is None or measured is None:
            return False
        return abs(measured - offered) > self.config.deviation_kw

    # -- running -----------------------------------------------------------------------

    def start(self) -> None:
        self.db.commit_listeners.append(self)
        self._task = asyncio.create_task(self._run(), name="smart-charging")

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._task, self.config.call_timeout_s + 5)
        with contextlib.suppress(ValueError):
            self.db.commit_listeners.remove(self)

    async def _run(self) -> None:
        next_period = time.monotonic()
        while not self._stopping:
            if time.monotonic() >= next_period:
                self._dirty |= set(await self._managed_organizations())
                next_period = time.monotonic() + self.config.period_s
            while self._dirty and not self._stopping:
                await asyncio.sleep(self.config.settle_s)
                organization_id = self._dirty.pop()
                try:
                    await self.step(organization_id)
                except Exception:
                    logger.exception("smart charging step failed for %s", organization_id)
            self._wake.clear()
            if self._dirty:
                continue
            with contextlib.suppress(TimeoutError):
                timeout = max(0.0, next_period - time.monotonic())
                await asyncio.wait_for(self._wake.wait(), timeout)

    async def _managed_organizations(self) -> list[str]:
        async with self.db.reading() as uow:
            rows = await uow.session.scalars(select(CircuitRow.organization_id).distinct())
            return list(rows.all())

    async def step(self, organization_id: str) -> StepResult:
        """Read, optimize and deliver every managed site of the organization."""
        async with self._lock:
            started = time.perf_counter()
            now = self.clock()
            async with self.db.reading() as uow:
                reader = SiteReader(uow, organization_id)
                sites = [await reader.read(root, now) for root in await reader.roots()]
            plans = [plan(site, self.delivery.in_force(organization_id)) for site in sites]
            attempts: list[Attempt] = []
            for made in plans:
                attempts += await self.delivery.apply(organization_id, made)
            await self._record(organization_id, plans)
            return StepResult(plans, attempts, time.perf_counter() - started)

    async def _record(self, organization_id: str, plans: list[Plan]) -> None:
        """Store each site's result when it differs from the last one stored."""
        rows = []
        for made in plans:
            key = (organization_id, made.site.root_id)
            result = {
                made.site.sessions[sid].transaction_id: round(kw, 2)
                for sid, kw in made.power_kw.items()
            }
            if self._allocated.get(key) == result:
                continue
            self._allocated[key] = result
            for sid, kw in made.power_kw.items():
                info = made.site.sessions[sid]
                values = made.schedules.get(sid)
                rows.append(
                    AllocationRow(
                        organization_id=organization_id,
                        circuit_id=made.site.root_id,
                        station_id=info.station_id,
                        evse_id=info.evse_id,
                        transaction_id=info.transaction_id,
                        at=made.site.snapshot.now,
                        power_kw=round(kw, 3),
                        objective=made.site.objective.value,
                        schedule=None if values is None else [round(v, 3) for v in values],
                    )
                )
        if not rows:
            return
        async with self.db.writing() as uow:
            uow.session.add_all(rows)
            await uow.commit()


def _power_kw(samples: list[dict[str, Any]]) -> float | None:
    for sample in samples:
        if sample.get("measurand") == POWER and sample.get("phase") in (None, ""):
            try:
                value = float(sample["value"])
            except (KeyError, TypeError, ValueError):
                return None
            return value if sample.get("unit") == "kW" else value / 1000.0
    return None
