"""A driver's own tariff in the answer to a 2.1 Authorize (OCPP 2.1 I08, driver-specific
tariffs): a station that calculates costs locally then calculates that driver's session with
the tariff Chargeyard will price it with, not with its default.

Of OCPP 2.1's answers only AuthorizeResponse carries a `tariff` (TransactionEventResponse has
none). It is given when the tag's tariff (its tariff group's, where one applies: a group's
tariff wins at every EVSE) differs from the station's default, the one `SetDefaultTariff`
installed (`tariffs/station_defaults.py`); a tag priced like everyone else gets none, and the
station uses its default. A driver tariff carries no `validFrom` (2.1 forbids it). Only for a
station that reported `TariffCostCtrlr.Enabled[Tariff]` true: for any other a driver tariff is
one it cannot process, which may get the driver refused; so is one with more prices than its
`MaxElements[Tariff]`, or with conditions where it reported `ConditionsSupported[Tariff]` false:
such a tag gets none.

A session the station started without asking (so without a driver tariff) is caught at its
Started event instead: `_check_session_tariff`.

Whether a station takes tariffs is remembered (`ServerContext.tariff_takers`), so an Authorize
or a Started event of a 2.1 station that does not reads nothing more; 1.6 and 2.0.1 sessions
never come here.
"""

import logging
from typing import Any

from chargeyard.commands.tariff_catalog import station_tariff
from chargeyard.commands.tariff_commands import station_tariff_id
from chargeyard.events.payloads import SESSION_TARIFF_DIFFERS, SessionTariffDiffers
from chargeyard.events.recorder import record_event
from chargeyard.protocol.v21.tariffs import NotExpressible, tariff_type
from chargeyard.protocol.v201.base import V2Session
from chargeyard.tariffs.local_calculation import LocalCalculation
from chargeyard.tariffs.service import TariffService
from chargeyard.transactions.repository import TransactionRepository

logger = logging.getLogger(__name__)

PRICED_FIELDS = ("energy", "charging_time", "idle_time", "fixed_fee")


class DriverTariffs(V2Session):
    async def _driver_tariff(self, id_tag: str | None) -> dict[str, Any] | None:
        if id_tag is None:
            return None
        organization_id, station_id = self.identity.organization_id, self.identity.station_id
        capability = await self.ctx.tariff_takers.of(self.ctx.db, organization_id, station_id)
        if not capability.enabled:
            return None
        clock = self.ctx.clock
        async with self.ctx.db.reading() as uow:
            tariffs = TariffService(uow, organization_id, clock)
            at = clock()
            driver = await tariffs.pricing(station_id, at, id_tag=id_tag)
            if driver is None:
                return None
            default = await tariffs.pricing(station_id, at)
        if default is not None and (default.tariff_id, default.version) == (
            driver.tariff_id,
            driver.version,
        ):
            return None
        try:
            found = tariff_type(station_tariff(driver, clock))
        except NotExpressible as error:
            logger.info("%s: no driver tariff for %s: %s", station_id, id_tag, error.detail)
            return None
        why = unfit(found, capability)
        if why is not None:
            logger.info("%s: no driver tariff for %s: %s", station_id, id_tag, why)
            return None
        return found

    async def _check_session_tariff(self, transaction_info: dict[str, Any]) -> None:
        """At a Started event of a station that calculates locally: when the tariff it names
        (`transactionInfo.tariffId`; none named reads as not the session's) is not the version
        the session is priced with, `session.tariff_differs` is recorded, and
        `tariffs/station_defaults.py` answers it with ChangeTransactionTariff. The way a session
        the station started without asking (offline, from its cache or local list, a remote
        start) gets its driver's tariff: 2.1's TransactionEventResponse has no `tariff`."""
        organization_id, station_id = self.identity.organization_id, self.identity.station_id
        capability = await self.ctx.tariff_takers.of(self.ctx.db, organization_id, station_id)
        if not capability.enabled:
            return
        named = transaction_info.get("tariff_id")
        async with self.ctx.db.reading() as uow:
            tx = await TransactionRepository(uow.session, organization_id).by_ocpp_id(
                station_id, str(transaction_info["transaction_id"])
            )
        if tx is None or tx.stopped_at is not None:
            return
        if tx.tariff_id is None or tx.tariff_version is None:
            return  # a free session: no tariff says so
        priced = station_tariff_id(tx.tariff_id, tx.tariff_version)
        if named == priced:
            return
        async with self._unit() as uow:
            record_event(
                uow,
                organization_id=organization_id,
                kind=SESSION_TARIFF_DIFFERS,
                occurred_at=self.ctx.clock(),
                station_id=station_id,
                transaction_id=tx.id,
                data=SessionTariffDiffers(
                    transaction_id=tx.id,
                    ocpp_transaction_id=tx.ocpp_transaction_id,
                    station_tariff_id=named,
                    tariff_id=tx.tariff_id,
                    tariff_version=tx.tariff_version,
                ),
            )
            await uow.commit()


def unfit(tariff: dict[str, Any], capability: LocalCalculation) -> str | None:
    """Why the station could not process the tariff (None: it can). A driver tariff it cannot
    process is worse than none: the station may refuse the driver (HandleFailedTariff), where
    without one it calculates with its default and Chargeyard still bills the right price."""
    for field in PRICED_FIELDS:
        prices = (tariff.get(field) or {}).get("prices", [])
        if capability.max_elements is not None and len(prices) > capability.max_elements:
            return f"{len(prices)} {field} prices, the station takes {capability.max_elements}"
        if not capability.conditions and any(
            any(value is not None for value in (price.get("conditions") or {}).values())
            for price in prices
        ):
            return f"its {field} prices have conditions, which the station does not support"
    return None
