"""Costing sessions as they run and when they end. Never commits.

`TransactionService` calls this at three moments: a session starts (the tariff version in force
at its start is fixed on it), new meter values arrive (the live cost is recomputed from all the
evidence stored so far) and it stops (the final cost, then the CDR). Every cost is computed from
stored data alone, so it can be computed again and gives the same answer. A session no tariff
prices costs nothing and gets no CDR; it costs no extra query per meter value (two small ones at
its start, to find that no tariff applies).
"""

from decimal import Decimal

from chargeyard.cdrs.domain import SessionFacts
from chargeyard.cdrs.service import CdrService
from chargeyard.clock import Clock
from chargeyard.costing.domain import Cost, cost
from chargeyard.costing.evidence import Evidence, meter_curve, state_timeline
from chargeyard.costing.repository import EvidenceRepository
from chargeyard.drivers.domain import PaymentMode, exhausted
from chargeyard.drivers.service import DriverService
from chargeyard.energy_costs.service import EnergyCostService
from chargeyard.events.payloads import (
    SESSION_COST_UPDATED,
    SESSION_CREDIT_EXHAUSTED,
    SessionCostUpdated,
    SessionCreditExhausted,
)
from chargeyard.events.recorder import record_event
from chargeyard.id_tags.repository import IdTagRepository
from chargeyard.locations.repository import LocationRepository
from chargeyard.money import money_text
from chargeyard.stations.repository import StationRepository
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.tariffs.service import PricedBy, TariffService
from chargeyard.transactions.models import Transaction


class SessionCosting:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.tariffs = TariffService(uow, organization_id, clock)
        self.evidence = EvidenceRepository(uow.session, organization_id)

    async def started(self, tx: Transaction) -> None:
        """Fix the tariff version in force at the session's start, and cost its first instant
        (a flat fee shows at once)."""
        priced = await self.tariffs.pricing(
            tx.station_id, tx.started_at, evse_id=tx.evse_id, id_tag=tx.id_tag
        )
        if priced is None:
            return
        tx.tariff_id, tx.tariff_version = priced.tariff_id, priced.version
        tx.cost_currency = priced.definition.currency
        self._apply(tx, await self._cost(tx, priced, final=False), final=False)

    async def metered(self, tx: Transaction) -> None:
        """New evidence for a running session: its live cost again, and for a prepaid driver
        whose balance it has now used up, a `session.credit_exhausted` event (what stops it:
        `costing/credit_stop.py`)."""
        if tx.tariff_id is None or tx.stopped_at is not None:
            return
        priced = await self._pinned(tx)
        if priced is None:
            return
        before = tx.cost_incl_tax
        self._apply(tx, await self._cost(tx, priced, final=False), final=False)
        if tx.id_tag is not None and tx.cost_incl_tax is not None:
            await self._check_credit(tx, before)

    async def _check_credit(self, tx: Transaction, cost_before: Decimal | None) -> None:
        assert tx.id_tag is not None and tx.cost_incl_tax is not None
        drivers = DriverService(self.uow, self.organization_id, self.clock)
        driver = await drivers.drivers.for_tag(tx.id_tag)
        if driver is None or driver.payment_mode != PaymentMode.PREPAID.value:
            return
        if driver.currency != tx.cost_currency:
            return
        balance = await drivers.balance(driver)
        if not exhausted(balance, cost_before, tx.cost_incl_tax):
            return
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=SESSION_CREDIT_EXHAUSTED,
            occurred_at=tx.last_meter_at or tx.started_at,
            station_id=tx.station_id,
            transaction_id=tx.id,
            data=SessionCreditExhausted(
                transaction_id=tx.id,
                ocpp_transaction_id=tx.ocpp_transaction_id,
                driver_id=driver.id,
                balance=money_text(balance, driver.currency),
                cost=money_text(tx.cost_incl_tax, driver.currency),
                currency=driver.currency,
                reason="the prepaid balance is used up",
            ),
        )

    async def stopped(self, tx: Transaction) -> None:
        """The final cost, the session's CDR, and its energy cost and margin to the operator
        (`energy_costs/`)."""
        if tx.tariff_id is None or tx.stopped_at is None:
            return
        priced = await self._pinned(tx)
        if priced is None:
            return
        evidence = await self.evidence_of(tx, priced.timezone, final=True)
        final = cost(priced.definition, evidence)
        self._apply(tx, final, final=True)
        await CdrService(self.uow, self.organization_id, self.clock).issue(
            final, priced.snapshot, await self._facts(tx)
        )
        await EnergyCostService(self.uow, self.organization_id).record(tx, evidence)

    async def evidence_of(self, tx: Transaction, timezone: str, *, final: bool) -> Evidence:
        """Everything stored about the session up to its end (or its latest reading)."""
        if final and tx.stopped_at is not None:
            end, end_wh = tx.stopped_at, tx.meter_stop_wh
        else:
            end, end_wh = max(tx.started_at, tx.last_meter_at or tx.started_at), None
        readings = await self.evidence.registers(tx)
        return Evidence(
            started_at=tx.started_at,
            ended_at=end,
            meter=meter_curve(tx.started_at, tx.meter_start_wh, readings, end, end_wh),
            states=state_timeline(await self.evidence.statuses(tx, end)),
            timezone=timezone,
        )

    async def _cost(self, tx: Transaction, priced: PricedBy, *, final: bool) -> Cost:
        return cost(priced.definition, await self.evidence_of(tx, priced.timezone, final=final))

    async def _pinned(self, tx: Transaction) -> PricedBy | None:
        assert tx.tariff_id is not None and tx.tariff_version is not None
        return await self.tariffs.pinned(tx.tariff_id, tx.tariff_version, tx.station_id)

    def _apply(self, tx: Transaction, result: Cost, *, final: bool) -> None:
        """Store the cost on the session; a change is a `session.cost_updated` event."""
        changed = (
            tx.cost_excl_tax != result.total.excl_tax
            or tx.cost_incl_tax != result.total.incl_tax
            or tx.cost_final != final
        )
        if not changed:
            return
        tx.cost_currency = result.currency
        tx.cost_excl_tax, tx.cost_incl_tax = result.total.excl_tax, result.total.incl_tax
        tx.cost_final = final
        at = tx.stopped_at if final and tx.stopped_at else tx.last_meter_at or tx.started_at
        updated: SessionCostUpdated = {
            "transaction_id": tx.id,
            "ocpp_transaction_id": tx.ocpp_transaction_id,
            "currency": result.currency,
            "excl_tax": money_text(result.total.excl_tax, result.currency),
            "incl_tax": money_text(result.total.incl_tax, result.currency),
            "energy_wh": round(result.energy_kwh * 1000),
            "final": final,
            "tariff_id": tx.tariff_id,
            "tariff_version": tx.tariff_version,
        }
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=SESSION_COST_UPDATED,
            occurred_at=at,
            station_id=tx.station_id,
            transaction_id=tx.id,
            data=updated,
        )

    async def _facts(self, tx: Transaction) -> SessionFacts:
        assert tx.stopped_at is not None
        tag = None
        if tx.id_tag is not None:
            tag = await IdTagRepository(self.uow.session, self.organization_id).by_value(tx.id_tag)
        return SessionFacts(
            transaction_id=tx.id,
            station_id=tx.station_id,
            evse_id=tx.evse_id,
            connector_id=tx.connector_id,
            started_at=tx.started_at,
            stopped_at=tx.stopped_at,
            id_tag=tx.id_tag,
            token_type=None if tag is None else tag.token_type,
            auth_status=tx.auth_status,
            location=await self._location(tx.station_id),
        )

    async def _location(self, station_id: str) -> dict[str, object] | None:
        station = await StationRepository(self.uow.session, self.organization_id).find(station_id)
        if station is None or station.location_id is None:
            return None
        location = await LocationRepository(self.uow.session, self.organization_id).find(
            station.location_id
        )
        if location is None:
            return None
        return {
            "id": location.id,
            "name": location.name,
            "address": location.address,
            "city": location.city,
            "postal_code": location.postal_code,
            "country": location.country,
            "time_zone": location.timezone,
        }
