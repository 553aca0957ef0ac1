"""Tariff use cases: managing tariffs (every change of price is a new version) and finding the
tariff version that prices a session. Never commits."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chargeyard.clock import Clock
from chargeyard.errors import Conflict, Invalid
from chargeyard.events.payloads import (
    TARIFF_CREATED,
    TARIFF_DELETED,
    TARIFF_UPDATED,
    EventKind,
    P,
    TariffEvent,
    TariffUpdated,
)
from chargeyard.events.recorder import record_event
from chargeyard.storage.base import new_id
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.tariff_groups.domain import group_tariff
from chargeyard.tariff_groups.repository import TariffGroupRepository
from chargeyard.tariffs.domain import (
    Placement,
    TariffDefinition,
    check,
    from_json,
    tariff_for,
    to_json,
)
from chargeyard.tariffs.models import Tariff, TariffVersion
from chargeyard.tariffs.repository import TariffRepository


@dataclass(frozen=True)
class TariffDraft:
    name: str
    definition: TariffDefinition
    description: str | None = None
    is_default: bool = False


@dataclass(frozen=True)
class PricedBy:
    """The tariff version a session is priced with, and the time zone its restrictions read."""

    tariff_id: str
    version: int
    definition: TariffDefinition
    snapshot: dict[str, Any]
    timezone: str


class TariffService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.tariffs = TariffRepository(uow.session, organization_id)

    async def create(self, draft: TariffDraft) -> Tariff:
        check(draft.definition)
        tariff = Tariff(
            id=new_id(),
            organization_id=self.organization_id,
            name=draft.name,
            description=draft.description,
            currency=draft.definition.currency,
            is_default=draft.is_default,
            version=1,
            definition=to_json(draft.definition),
            revision=1,
        )
        self.tariffs.add(tariff)
        self._add_version(tariff)
        if draft.is_default:
            await self.tariffs.clear_default(keep=tariff.id)
        self._event(TARIFF_CREATED, _tariff(tariff))
        return tariff

    async def update(
        self, tariff: Tariff, changes: dict[str, Any], pricing: TariffDefinition | None
    ) -> Tariff:
        """`pricing` is the tariff's new definition when the change touches prices: it becomes
        the next version, in force from now on; sessions already started keep theirs."""
        changed: list[str] = [
            name
            for name in ("name", "description", "is_default")
            if name in changes and changes[name] != getattr(tariff, name)
        ]
        if pricing is not None:
            check(pricing)
            if to_json(pricing) != tariff.definition:
                tariff.definition = to_json(pricing)
                tariff.currency = pricing.currency
                tariff.version += 1
                self._add_version(tariff)
                changed.append("version")
        for name in ("name", "description", "is_default"):
            if name in changes:
                setattr(tariff, name, changes[name])
        if changes.get("is_default"):
            await self.tariffs.clear_default(keep=tariff.id)
        tariff.touch()
        self._event(TARIFF_UPDATED, TariffUpdated({**_tariff(tariff), "changed": sorted(changed)}))
        return tariff

    async def delete(self, tariff: Tariff) -> None:
        uses = await self.tariffs.uses(tariff.id)
        if uses:
            raise Conflict(
                f"the tariff is in use ({', '.join(uses)}); unassign it first (priced sessions "
                "keep it for good, as their billing record)"
            )
        await self.tariffs.delete(tariff)
        self._event(TARIFF_DELETED, _tariff(tariff))

    async def check_assignable(self, tariff_id: str | None) -> None:
        """A station or location may only name a tariff of its own organization."""
        if tariff_id is not None and await self.tariffs.find(tariff_id) is None:
            raise Invalid(f"tariff_id: Tariff {tariff_id!r} does not exist")

    async def pricing(
        self,
        station_id: str,
        at: datetime,
        *,
        evse_id: int | None = None,
        id_tag: str | None = None,
    ) -> PricedBy | None:
        """The tariff version that prices a session starting at `at` on the station (and EVSE);
        None when no tariff group, EVSE, station, location or organization default names one
        (the session is free). With `id_tag`, a tariff group holding the tag or its driver
        wins where it applies (`_group_tariff`)."""
        placement = await self.tariffs.session_placement(
            station_id, evse_id, with_groups=id_tag is not None
        )
        if placement is None:
            return None
        location_id = placement.location_id
        chain = await self.tariffs.location_chain(location_id) if location_id else []
        group = None
        if placement.has_groups and id_tag is not None:
            group = await self._group_tariff(id_tag, station_id, [id for id, _, _ in chain])
        tariff_id = tariff_for(
            Placement(
                placement.station_tariff,
                [tariff for _, tariff, _ in chain],
                placement.organization_default,
                evse_tariff=placement.evse_tariff,
                group_tariff=group,
            )
        )
        if tariff_id is None:
            return None
        version = await self.tariffs.in_force(tariff_id, at)
        if version is None:
            return None
        timezone = chain[0][2] if chain else "UTC"
        return self.priced_by(version, timezone)

    async def _group_tariff(
        self, id_tag: str, station_id: str, location_ids: list[str]
    ) -> str | None:
        """The tariff of the tariff group that holds the tag (or the driver holding it) at the
        most specific place covering the station; one query, made only when the organization
        has placed a tariff group somewhere."""
        applying = await TariffGroupRepository(self.uow.session, self.organization_id).applying(
            id_tag, station_id, location_ids
        )
        return group_tariff(applying, station_id, location_ids)

    async def pinned(self, tariff_id: str, version: int, station_id: str) -> PricedBy | None:
        """A version fixed on a session, with the time zone of the station's location now."""
        found = await self.tariffs.version(tariff_id, version)
        if found is None:
            return None
        placement = await self.tariffs.station_placement(station_id)
        location_id = None if placement is None else placement[1]
        chain = await self.tariffs.location_chain(location_id) if location_id else []
        return self.priced_by(found, chain[0][2] if chain else "UTC")

    @staticmethod
    def priced_by(version: TariffVersion, timezone: str) -> PricedBy:
        snapshot = {
            "id": version.tariff_id,
            "version": version.version,
            "name": version.name,
            "valid_from": version.valid_from.isoformat(),
            **version.definition,
        }
        return PricedBy(
            version.tariff_id, version.version, from_json(version.definition), snapshot, timezone
        )

    def _add_version(self, tariff: Tariff) -> None:
        self.tariffs.add_version(
            TariffVersion(
                organization_id=self.organization_id,
                tariff_id=tariff.id,
                version=tariff.version,
                name=tariff.name,
                definition=tariff.definition,
                valid_from=self.clock(),
            )
        )

    def _event(self, kind: EventKind[P], data: P) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            data=data,
        )


def _tariff(tariff: Tariff) -> TariffEvent:
    return {
        "tariff_id": tariff.id,
        "name": tariff.name,
        "version": tariff.version,
        "currency": tariff.currency,
        "is_default": tariff.is_default,
    }
