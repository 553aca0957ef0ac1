"""Hardware template use cases, and laying a template's layout out on a station (when it is
created or first boots, and again on request once the template changed). Never commits."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from chargeyard.clock import Clock
from chargeyard.errors import Conflict, Invalid
from chargeyard.events.payloads import (
    HARDWARE_TEMPLATE_APPLIED,
    HARDWARE_TEMPLATE_CREATED,
    HARDWARE_TEMPLATE_DELETED,
    HARDWARE_TEMPLATE_UPDATED,
    EventKind,
    HardwareTemplateApplied,
    HardwareTemplateChanged,
)
from chargeyard.events.recorder import record_event
from chargeyard.hardware_templates.domain import (
    Busy,
    Change,
    LayoutChange,
    Outcome,
    PlacedConnector,
    PlacedEvse,
    layout_changes,
    planned_hardware,
)
from chargeyard.hardware_templates.models import HardwareTemplate
from chargeyard.hardware_templates.repository import HardwareTemplateRepository
from chargeyard.stations.domain import ConnectorStatus
from chargeyard.stations.hardware import HARDWARE_FIELDS
from chargeyard.stations.layout import (
    ConnectorDraft,
    LayoutService,
    connector_of,
    evse_of,
    unplanned,
)
from chargeyard.stations.models import Evse, Station
from chargeyard.stations.repository import StationQuery, StationRepository
from chargeyard.storage.base import new_id
from chargeyard.storage.repository import Page
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.transactions.repository import TransactionRepository

REAPPLY_MAX_STATIONS = 500
"""Stations one re-apply changes in its one unit of work; more are named in batches
(`station_ids`), so a write transaction never holds thousands of stations' rows."""


@dataclass(frozen=True)
class KeptEvse:
    """An EVSE in use, left as it was, and what re-applying would have changed on it."""

    evse_id: int
    reason: Busy
    changes: list[LayoutChange]


@dataclass(frozen=True)
class Reapplied:
    """What re-applying a template did (or, in a dry run, would do) to one station."""

    station_id: str
    changes: list[LayoutChange]
    kept: list[KeptEvse]

    @property
    def outcome(self) -> Outcome:
        if self.kept:
            return Outcome.WAITING
        return Outcome.APPLIED if self.changes else Outcome.UNCHANGED


class HardwareTemplateService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.templates = HardwareTemplateRepository(uow.session, organization_id)

    async def create(
        self, vendor: str, model: str, name: str | None, evses: list[dict[str, Any]]
    ) -> HardwareTemplate:
        await self._check_unique(vendor, model)
        template = HardwareTemplate(
            id=new_id(),
            organization_id=self.organization_id,
            name=name,
            vendor=vendor,
            model=model,
            vendor_key=vendor.lower(),
            model_key=model.lower(),
            evses=evses,
            revision=1,
        )
        self.templates.add(template)
        self._event(HARDWARE_TEMPLATE_CREATED, template)
        return template

    async def update(self, template: HardwareTemplate, changes: dict[str, Any]) -> HardwareTemplate:
        vendor = changes.get("vendor", template.vendor)
        model = changes.get("model", template.model)
        if (vendor.lower(), model.lower()) != (template.vendor_key, template.model_key):
            await self._check_unique(vendor, model)
        for name, value in changes.items():
            setattr(template, name, value)
        template.vendor_key, template.model_key = vendor.lower(), model.lower()
        template.touch()
        self._event(HARDWARE_TEMPLATE_UPDATED, template)
        return template

    async def delete(self, template: HardwareTemplate) -> None:
        await self.templates.delete(template)
        self._event(HARDWARE_TEMPLATE_DELETED, template)

    async def lay_out(self, station: Station, template: HardwareTemplate) -> None:
        """Plan the template's EVSEs and connectors on the station (adopting any it reported)."""
        layout = LayoutService(self.uow, self.organization_id, self.clock)
        for evse in template.evses:
            await layout.add_evse(
                station,
                int(evse["evse_id"]),
                [ConnectorDraft(**c) for c in evse.get("connectors", [])],
                evse.get("physical_reference"),
            )

    async def lay_out_matching(self, station: Station) -> bool:
        """A station without a planned layout that reports a vendor and model with a template
        gets the template's layout; True if it did."""
        if any(e.planned for e in station.evses):
            return False
        template = await self.templates.matching(station.vendor, station.model)
        if template is None or not template.evses:
            return False
        await self.lay_out(station, template)
        return True

    async def reapply(
        self, template: HardwareTemplate, station_ids: Sequence[str] | None, dry_run: bool
    ) -> list[Reapplied]:
        """Make the planned layout of stations of the template's model the template's again
        (`domain.py` says what changes and what an EVSE in use keeps). `station_ids` None: every
        station reporting the template's vendor and model (that the caller sees); named, each
        must report them or nothing yet (it then takes them, as one created from the template).
        A dry run changes nothing and says what would change."""
        layout = LayoutService(self.uow, self.organization_id, self.clock)
        stations = await self._stations_of(layout.stations, template, station_ids)
        if not dry_run:
            stations = await _locked(layout.stations, stations)
        done = []
        for station in stations:
            plan = layout_changes(template.evses, [_placed(e) for e in station.evses])
            kept, applied = [], []
            for evse_id, changes in plan.items():
                busy = await self._busy(station, evse_id)
                if busy is not None:
                    kept.append(KeptEvse(evse_id, busy, changes))
                    continue
                applied.extend(changes)
                if not dry_run:
                    await self._apply(layout, station, template, evse_id, changes)
            if not dry_run and station.vendor is None and station.model is None:
                station.vendor, station.model = template.vendor, template.model
                station.touch()
            if not dry_run and (applied or kept):
                record_event(
                    self.uow,
                    organization_id=self.organization_id,
                    kind=HARDWARE_TEMPLATE_APPLIED,
                    occurred_at=self.clock(),
                    station_id=station.id,
                    data=HardwareTemplateApplied(
                        {
                            "hardware_template_id": template.id,
                            "station_id": station.id,
                            "changes": len(applied),
                            "kept_evse_ids": [k.evse_id for k in kept],
                        }
                    ),
                )
            done.append(Reapplied(station.id, applied, kept))
        return done

    async def _stations_of(
        self,
        repository: StationRepository,
        template: HardwareTemplate,
        station_ids: Sequence[str] | None,
    ) -> Sequence[Station]:
        if station_ids is None:
            query = StationQuery(vendor=template.vendor, model=template.model)
            found = await repository.search(Page(0, REAPPLY_MAX_STATIONS + 1), query)
            if found.total > REAPPLY_MAX_STATIONS:
                raise Invalid(
                    f"{found.total} stations are of this model; name at most "
                    f"{REAPPLY_MAX_STATIONS} at a time in station_ids"
                )
            return found.items
        stations = []
        for station_id in dict.fromkeys(station_ids):
            station = await repository.get(station_id)
            reported = (station.vendor, station.model)
            if reported != (None, None) and (
                (station.vendor or "").lower() != template.vendor_key
                or (station.model or "").lower() != template.model_key
            ):
                raise Conflict(
                    f"Station {station_id!r} reports {station.vendor} {station.model}, "
                    f"not this template's {template.vendor} {template.model}"
                )
            stations.append(station)
        return stations

    async def _busy(self, station: Station, evse_id: int) -> Busy | None:
        """Why the EVSE must be left alone now, if it must."""
        transactions = TransactionRepository(self.uow.session, self.organization_id)
        if await transactions.active_on(station.id, evse_id):
            return Busy.SESSION_RUNNING
        evse = next((e for e in station.evses if e.evse_id == evse_id), None)
        if evse is not None and any(
            c.status == ConnectorStatus.OCCUPIED.value for c in evse.connectors
        ):
            return Busy.CONNECTOR_OCCUPIED
        return None

    async def _apply(
        self,
        layout: LayoutService,
        station: Station,
        template: HardwareTemplate,
        evse_id: int,
        changes: list[LayoutChange],
    ) -> None:
        """One EVSE's changes, each through the layout service as the API would make it (with
        its event, and the station's revision moved)."""
        wanted = next((e for e in template.evses if int(e["evse_id"]) == evse_id), None)
        connectors = {int(c["connector_id"]): c for c in (wanted or {}).get("connectors", [])}
        for change in changes:
            if change.connector_id is None and change.change == Change.PLANNED:
                assert wanted is not None
                evse = await layout.add_evse(
                    station,
                    evse_id,
                    [ConnectorDraft(**c) for c in connectors.values()],
                    wanted.get("physical_reference"),
                )
                _mark_unplanned(station, evse)
            elif change.connector_id is None and change.change == Change.UPDATED:
                assert wanted is not None
                await layout.update_evse(
                    station,
                    evse_of(station, evse_id),
                    {"physical_reference": wanted.get("physical_reference")},
                )
            elif change.connector_id is None:
                await layout.remove_evse(station, evse_of(station, evse_id))
            elif change.change == Change.REMOVED:
                evse = evse_of(station, evse_id)
                await layout.remove_connector(
                    station, evse, connector_of(evse, change.connector_id)
                )
            else:
                evse = evse_of(station, evse_id)
                draft = connectors[change.connector_id]
                existing = next(
                    (c for c in evse.connectors if c.connector_id == change.connector_id), None
                )
                if existing is None or not existing.planned:
                    layout.add_connector(station, evse, ConnectorDraft(**draft))
                else:
                    layout.update_connector(station, evse, existing, planned_hardware(draft))

    async def _check_unique(self, vendor: str, model: str) -> None:
        if await self.templates.matching(vendor, model) is not None:
            raise Conflict(f"a hardware template for {vendor} {model} exists already")

    def _event(self, kind: EventKind[HardwareTemplateChanged], template: HardwareTemplate) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            data=HardwareTemplateChanged(
                {
                    "hardware_template_id": template.id,
                    "vendor": template.vendor,
                    "model": template.model,
                }
            ),
        )


async def _locked(repository: StationRepository, stations: Sequence[Station]) -> list[Station]:
    """The stations locked and read afresh, as every change of a station's layout starts
    (`ScopedRepository.locked`), so a layout edit sent meanwhile waits or is waited for. Locked
    in id order, so two re-applies over the same stations cannot deadlock; kept in their order."""
    by_id = {s.id: await repository.locked(s.id) for s in sorted(stations, key=lambda s: s.id)}
    return [by_id[s.id] for s in stations]


def _placed(evse: Evse) -> PlacedEvse:
    return PlacedEvse(
        evse.evse_id,
        evse.planned,
        evse.physical_reference,
        [
            PlacedConnector(
                c.connector_id,
                c.planned,
                {name: getattr(c, name) for name in HARDWARE_FIELDS},
                c.connector_type,
            )
            for c in evse.connectors
        ],
    )


def _mark_unplanned(station: Station, evse: Evse) -> None:
    """Connectors the station reported on an EVSE now planned, that the plan does not have."""
    for connector in evse.connectors:
        unplanned(station, connector)
