"""Checking a profile against what Chargeyard knows (transactions) before it is sent.

Raises `Invalid` listing every problem, so a refused profile never reaches the station.
"""

from decimal import Decimal

from chargeyard.charging_profiles.domain import Capability, ChargingProfile, Target, problems
from chargeyard.errors import Invalid
from chargeyard.evse_wiring.repository import WiringRepository
from chargeyard.load_management.site_reader import wiring_of
from chargeyard.smart_charging.electrical import kw_to_amps
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.transactions.models import Transaction
from chargeyard.transactions.repository import TransactionRepository


async def active_transaction(
    uow: UnitOfWork, organization_id: str, station_id: str, transaction_id: int
) -> Transaction | None:
    """The transaction if it is running on this station, else None."""
    tx = await TransactionRepository(uow.session, organization_id).find(transaction_id)
    if tx is None or tx.station_id != station_id or tx.stopped_at is not None:
        return None
    return tx


async def checked_profile(
    uow: UnitOfWork,
    organization_id: str,
    station_id: str,
    evse_id: int,
    profile: ChargingProfile,
    *,
    for_remote_start: bool = False,
) -> str | None:
    """Refuse an invalid profile (422); return the station's id of its transaction, if any."""
    tx = None
    if profile.transaction_id is not None:
        tx = await active_transaction(uow, organization_id, station_id, profile.transaction_id)
    target = Target(
        evse_id=evse_id,
        transaction_evse=None if tx is None else tx.evse_id,
        capability=await evse_capability(uow, organization_id, station_id, evse_id),
        for_remote_start=for_remote_start,
    )
    found = problems(profile, target)
    if found:
        raise Invalid("invalid charging profile: " + "; ".join(found))
    return None if tx is None else tx.ocpp_transaction_id


async def evse_capability(
    uow: UnitOfWork, organization_id: str, station_id: str, evse_id: int
) -> Capability:
    """The most an EVSE can take, from the wiring an operator recorded for it (or for its
    whole station, EVSE 0); unknown without one, and for station-wide profiles."""
    if evse_id == 0:
        return Capability()
    row = await WiringRepository(uow.session, organization_id).planned_with(station_id, evse_id)
    if row is None:
        return Capability()
    wiring = wiring_of(row)
    return Capability(
        max_power_w=Decimal(str(round(wiring.max_power_kw * 1000, 1))),
        max_current_a=Decimal(str(round(kw_to_amps(wiring.max_power_kw, wiring.spec), 1))),
    )
