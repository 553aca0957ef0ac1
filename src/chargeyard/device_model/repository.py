"""All SQL about reported device models."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from chargeyard.device_model.models import DeviceMonitor, DeviceMonitorRead, DeviceVariable
from chargeyard.storage.repository import Page, PageResult, ScopedRepository, owned_by, paginate


@dataclass(frozen=True)
class VariableFilter:
    component: str | None = None
    component_instance: str | None = None
    variable: str | None = None
    evse_id: int | None = None
    attribute_type: str | None = None


class DeviceModelRepository(ScopedRepository[DeviceVariable]):
    """A station's reported variables (the scoped base's rows) and its monitors."""

    model = DeviceVariable
    noun = "device variable"

    async def variables_named(
        self, station_id: str, component_names: set[str]
    ) -> Sequence[DeviceVariable]:
        result = await self.session.execute(
            self.query().where(
                DeviceVariable.station_id == station_id,
                DeviceVariable.component_name.in_(component_names),
            )
        )
        return result.scalars().all()

    async def stations_reporting(
        self, component: str, variable: str, instance: str | None
    ) -> Sequence[DeviceVariable]:
        """Every actual value of one variable the organization's stations reported."""
        result = await self.session.execute(
            select(DeviceVariable).where(
                owned_by(DeviceVariable, self.organization_id),
                DeviceVariable.component_name == component,
                DeviceVariable.variable_name == variable,
                DeviceVariable.variable_instance == instance,
                DeviceVariable.attribute_type == "Actual",
            )
        )
        return result.scalars().all()

    async def monitors_by_id(
        self, station_id: str, monitor_ids: set[int]
    ) -> Sequence[DeviceMonitor]:
        result = await self.session.execute(
            select(DeviceMonitor).where(
                owned_by(DeviceMonitor, self.organization_id),
                DeviceMonitor.station_id == station_id,
                DeviceMonitor.monitor_id.in_(monitor_ids),
            )
        )
        return result.scalars().all()

    async def monitor_ids(self, station_id: str) -> set[int]:
        """The ids of every monitor stored for the station."""
        statement = select(DeviceMonitor.monitor_id).where(
            owned_by(DeviceMonitor, self.organization_id), DeviceMonitor.station_id == station_id
        )
        return set((await self.session.scalars(statement)).all())

    def add_monitor(self, row: DeviceMonitor) -> None:
        self.session.add(row)

    async def delete_monitors(self, station_id: str, monitor_ids: set[int]) -> None:
        for row in await self.monitors_by_id(station_id, monitor_ids):
            await self.session.delete(row)

    async def variables(
        self, station_id: str, where: VariableFilter, page: Page
    ) -> PageResult[DeviceVariable]:
        statement = self.query().where(DeviceVariable.station_id == station_id)
        for column, value in (
            (DeviceVariable.component_name, where.component),
            (DeviceVariable.component_instance, where.component_instance),
            (DeviceVariable.variable_name, where.variable),
            (DeviceVariable.evse_id, where.evse_id),
            (DeviceVariable.attribute_type, where.attribute_type),
        ):
            if value is not None:
                statement = statement.where(column == value)
        order = [DeviceVariable.component_name, DeviceVariable.variable_name, DeviceVariable.id]
        return await paginate(self.session, statement, page, order_by=order)

    async def component_names(self, station_id: str) -> list[str]:
        """The names of the components a station reported, once each, in order."""
        statement = (
            self.query()
            .with_only_columns(DeviceVariable.component_name)
            .where(DeviceVariable.station_id == station_id)
            .distinct()
            .order_by(DeviceVariable.component_name)
        )
        return list((await self.session.scalars(statement)).all())

    async def monitors(self, station_id: str, page: Page) -> PageResult[DeviceMonitor]:
        statement = select(DeviceMonitor).where(
            owned_by(DeviceMonitor, self.organization_id),
            DeviceMonitor.station_id == station_id,
        )
        return await paginate(self.session, statement, page, order_by=[DeviceMonitor.monitor_id])


class MonitorReadRepository(ScopedRepository[DeviceMonitorRead]):
    """The latest read of each station's monitors (one row per station)."""

    model = DeviceMonitorRead
    noun = "monitor read"

    async def of_station(self, station_id: str) -> DeviceMonitorRead | None:
        result = await self.session.execute(
            self.query().where(DeviceMonitorRead.station_id == station_id)
        )
        return result.scalars().first()
