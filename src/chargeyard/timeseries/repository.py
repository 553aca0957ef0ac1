"""All SQL of time series: the meter readings of a session, a connector, a station or a
location over a window, raw samples and hourly rollups together (retention deletes raw samples
only once they are rolled up, so the two never hold the same hour), each scoped to one
organization."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.errors import NotFound
from chargeyard.locations.models import Location
from chargeyard.locations.repository import LocationRepository
from chargeyard.retention.models import MeterValueRollup
from chargeyard.stations.models import Station
from chargeyard.storage.repository import owned_by
from chargeyard.timeseries.domain import ENERGY, SOC, Reading, to_wh
from chargeyard.transactions.models import MeterValue, Transaction

SeriesKey = tuple[str, int, int]
"""(station, EVSE, connector): one energy register."""


@dataclass(frozen=True)
class Scope:
    """Whose readings: one session, or a station (narrowed to an EVSE / connector), or every
    station of a location and of the locations below it."""

    organization_id: str
    transaction_id: int | None = None
    station_id: str | None = None
    evse_id: int | None = None
    connector_id: int | None = None
    location_id: str | None = None


@dataclass
class Readings:
    energy: dict[SeriesKey, list[Reading]]
    soc: dict[SeriesKey, list[Reading]]


class TimeseriesRepository:
    def __init__(self, session: AsyncSession, scope: Scope) -> None:
        self.session = session
        self.scope = scope

    async def session_window(self) -> tuple[datetime, datetime | None]:
        """The session's start and stop; NotFound if it is not the organization's."""
        found = (
            await self.session.execute(
                select(Transaction.started_at, Transaction.stopped_at).where(
                    owned_by(Transaction, self.scope.organization_id),
                    Transaction.id == self.scope.transaction_id,
                )
            )
        ).first()
        if found is None:
            raise NotFound(f"Transaction {self.scope.transaction_id} does not exist")
        return found[0], found[1]

    async def check(self) -> None:
        """The station or location exists in the organization."""
        scope = self.scope
        if scope.station_id is not None:
            found = await self.session.scalar(
                select(Station.id).where(
                    owned_by(Station, scope.organization_id),
                    Station.id == scope.station_id,
                )
            )
            if found is None:
                raise NotFound(f"Station {scope.station_id!r} does not exist")
        if scope.location_id is not None:
            found = await self.session.scalar(
                select(Location.id).where(
                    owned_by(Location, scope.organization_id),
                    Location.id == scope.location_id,
                )
            )
            if found is None:
                raise NotFound(f"Location {scope.location_id!r} does not exist")

    async def timezone(self) -> str:
        """The IANA zone whose days the series' `1d` buckets are: the location's, or that of
        the station (the session's station) asked for; UTC for a station at no location."""
        scope = self.scope
        if scope.location_id is not None:
            statement = select(Location.timezone).where(
                owned_by(Location, scope.organization_id), Location.id == scope.location_id
            )
        else:
            station = scope.station_id
            if station is None:
                station = await self.session.scalar(
                    select(Transaction.station_id).where(
                        owned_by(Transaction, scope.organization_id),
                        Transaction.id == scope.transaction_id,
                    )
                )
            statement = (
                select(Location.timezone)
                .join(Station, Station.location_id == Location.id)
                .where(
                    owned_by(Station, scope.organization_id),
                    owned_by(Location, scope.organization_id),
                    Station.id == station,
                )
            )
        return await self.session.scalar(statement) or "UTC"

    def _owned(self, model: type[MeterValue] | type[MeterValueRollup]) -> list[ColumnElement[bool]]:
        scope = self.scope
        where = [owned_by(model, scope.organization_id)]
        if scope.transaction_id is not None:
            where.append(model.transaction_id == scope.transaction_id)
        if scope.station_id is not None:
            where.append(model.station_id == scope.station_id)
        if scope.evse_id is not None:
            where.append(model.evse_id == scope.evse_id)
        if scope.connector_id is not None:
            where.append(model.connector_id == scope.connector_id)
        if scope.location_id is not None:
            # The location's stations and those of every location below it.
            locations = LocationRepository(self.session, scope.organization_id)
            where.append(
                model.station_id.in_(
                    select(Station.id).where(
                        owned_by(Station, scope.organization_id),
                        Station.location_id.in_(locations.subtree_ids(scope.location_id)),
                    )
                )
            )
        return where

    async def readings(self, since: datetime, until: datetime) -> Readings:
        """Energy register (Wh) and SoC readings in [since, until), per register, in time
        order; only totals (no per-phase values)."""
        energy: dict[SeriesKey, list[Reading]] = defaultdict(list)
        soc: dict[SeriesKey, list[Reading]] = defaultdict(list)
        raw = (
            select(
                MeterValue.station_id,
                MeterValue.evse_id,
                MeterValue.connector_id,
                MeterValue.measurand,
                MeterValue.unit,
                MeterValue.timestamp,
                MeterValue.numeric_value,
            )
            .where(
                *self._owned(MeterValue),
                MeterValue.measurand.in_((ENERGY, SOC)),
                or_(MeterValue.phase.is_(None), MeterValue.phase == ""),
                MeterValue.numeric_value.is_not(None),
                MeterValue.timestamp >= since,
                MeterValue.timestamp < until,
            )
            .order_by(MeterValue.timestamp, MeterValue.id)
        )
        for station, evse, connector, measurand, unit, at, number in await self.session.execute(
            raw
        ):
            key, value = (station, evse, connector), float(number or 0.0)
            if measurand == ENERGY:
                energy[key].append((at, to_wh(value, unit)))
            else:
                soc[key].append((at, value))
        rolled = select(
            MeterValueRollup.station_id,
            MeterValueRollup.evse_id,
            MeterValueRollup.connector_id,
            MeterValueRollup.measurand,
            MeterValueRollup.unit,
            MeterValueRollup.first_at,
            MeterValueRollup.first_value,
            MeterValueRollup.last_at,
            MeterValueRollup.last_value,
        ).where(
            *self._owned(MeterValueRollup),
            MeterValueRollup.measurand.in_((ENERGY, SOC)),
            MeterValueRollup.phase == "",
            MeterValueRollup.hour >= since,
            MeterValueRollup.hour < until,
        )
        for row in await self.session.execute(rolled):
            station, evse, connector, measurand, unit, first_at, first, last_at, last = row
            target = energy if measurand == ENERGY else soc
            for at, reported in ((first_at, first), (last_at, last)):
                if reported is not None:
                    kept = to_wh(reported, unit) if measurand == ENERGY else float(reported)
                    target[(station, evse, connector)].append((at, kept))
        for series in (*energy.values(), *soc.values()):
            series.sort(key=lambda reading: reading[0])
        return Readings(dict(energy), dict(soc))
