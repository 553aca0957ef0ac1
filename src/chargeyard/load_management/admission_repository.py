"""All SQL about admission at boot (`admission.py` holds the rule): a station's admission row,
who is still waiting, and whether a circuit is smart charged at all. Scoped to one organization."""

from datetime import datetime

from sqlalchemy import select

from chargeyard.circuits.models import CircuitRow
from chargeyard.load_management.models import AdmissionRow
from chargeyard.storage.repository import ScopedRepository, whole_organization

OFF = "off"


class AdmissionRepository(ScopedRepository[AdmissionRow]):
    """Admission rows are the scoped base's; they are compared with the organization by hand
    (not `query()`) because a boot is admitted for the whole organization: a site-scoped
    caller's narrowing does not apply to who waits."""

    model = AdmissionRow
    noun = "admission"

    async def find(self, station_id: str) -> AdmissionRow | None:
        """By station (one row per station), not by the row's id."""
        found = await self.session.scalars(
            select(AdmissionRow).where(
                whole_organization(AdmissionRow, self.organization_id),
                AdmissionRow.station_id == station_id,
            )
        )
        return found.first()

    async def waiting(self, station_ids: list[str] | None = None) -> dict[str, datetime]:
        """Stations (all, or these) still waiting for admission, with the start of their wait."""
        statement = select(AdmissionRow).where(
            whole_organization(AdmissionRow, self.organization_id),
            AdmissionRow.admitted_at.is_(None),
        )
        if station_ids is not None:
            statement = statement.where(AdmissionRow.station_id.in_(station_ids))
        return {row.station_id: row.pending_since for row in await self.session.scalars(statement)}

    async def waiting_rows(self, station_ids: list[str]) -> list[AdmissionRow]:
        found = await self.session.scalars(
            select(AdmissionRow).where(
                whole_organization(AdmissionRow, self.organization_id),
                AdmissionRow.station_id.in_(station_ids),
                AdmissionRow.admitted_at.is_(None),
            )
        )
        return list(found.all())

    async def managed(self, circuit_id: str | None) -> bool:
        """Whether a station on `circuit_id` is smart charged (its root circuit's objective)."""
        seen: set[str] = set()
        root: CircuitRow | None = None
        while circuit_id is not None and circuit_id not in seen:
            seen.add(circuit_id)
            root = await self.session.get(CircuitRow, circuit_id)
            if root is None or root.organization_id != self.organization_id:
                return False
            circuit_id = root.parent_id
        return root is not None and root.objective != OFF
