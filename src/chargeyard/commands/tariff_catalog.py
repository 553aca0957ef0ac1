"""How the bodies of OCPP 2.1's tariff commands become neutral commands (catalog.py lists them):
each names a tariff version Chargeyard holds, never prices a caller typed."""

from chargeyard.clock import Clock
from chargeyard.commands import tariff_commands as tc
from chargeyard.commands import tariff_schemas as ts
from chargeyard.commands.domain import Command
from chargeyard.commands.runner import Scope
from chargeyard.costing.price_display import tariff_text
from chargeyard.errors import Conflict, Invalid
from chargeyard.tariffs.service import PricedBy, TariffService
from chargeyard.transactions.repository import TransactionRepository


def station_tariff(priced: PricedBy, clock: Clock) -> tc.StationTariff:
    """A version as a station is sent it, with the line a driver reads for it from now."""
    text = tariff_text(priced.definition, clock(), priced.timezone)
    return tc.StationTariff(priced.tariff_id, priced.version, priced.definition, text)


async def default_tariff(scope: Scope, evse_id: int, tariff_id: str | None = None) -> PricedBy:
    """The version in force now of `tariff_id`, or of the tariff that prices a session started
    now on the EVSE (0: the station) by someone in no tariff group."""
    service = TariffService(scope.uow, scope.organization_id, scope.clock)
    at = scope.clock()
    if tariff_id is None:
        priced = await service.pricing(scope.station.id, at, evse_id=evse_id or None)
        if priced is None:
            raise Invalid("no tariff applies at this station; name one with tariff_id")
        return priced
    if await service.tariffs.find(tariff_id) is None:
        raise Invalid(f"tariff_id: Tariff {tariff_id!r} does not exist")
    version = await service.tariffs.in_force(tariff_id, at)
    priced = (
        None
        if version is None
        else await service.pinned(tariff_id, version.version, scope.station.id)
    )
    if priced is None:
        raise Invalid(f"tariff_id: Tariff {tariff_id!r} has no version in force")
    return priced


async def set_default_tariff(scope: Scope, body: ts.SetDefaultTariffIn) -> Command:
    priced = await default_tariff(scope, body.evse_id, body.tariff_id)
    return tc.SetDefaultTariff(evse_id=body.evse_id, tariff=station_tariff(priced, scope.clock))


async def get_tariffs(_scope: Scope, body: ts.GetTariffsIn) -> Command:
    return tc.GetTariffs(evse_id=body.evse_id)


async def clear_tariffs(_scope: Scope, body: ts.ClearTariffsIn) -> Command:
    return tc.ClearTariffs(tariff_ids=tuple(body.tariff_ids), evse_id=body.evse_id)


async def change_transaction_tariff(scope: Scope, body: ts.ChangeTransactionTariffIn) -> Command:
    tx = await TransactionRepository(scope.uow.session, scope.organization_id).get(
        body.transaction_id
    )
    if tx.station_id != scope.station.id:
        raise Invalid(f"transaction {tx.id} ran on station {tx.station_id!r}")
    if tx.stopped_at is not None:
        raise Conflict(f"transaction {tx.id} has stopped already")
    if tx.tariff_id is None or tx.tariff_version is None:
        raise Conflict(f"transaction {tx.id} is not priced by a tariff")
    service = TariffService(scope.uow, scope.organization_id, scope.clock)
    priced = await service.pinned(tx.tariff_id, tx.tariff_version, scope.station.id)
    if priced is None:
        raise Conflict(f"transaction {tx.id}'s tariff version is gone")
    return tc.ChangeTransactionTariff(
        ocpp_transaction_id=tx.ocpp_transaction_id or str(tx.id),
        tariff=station_tariff(priced, scope.clock),
    )
