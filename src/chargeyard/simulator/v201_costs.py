"""Costs and tariffs a simulated OCPP 2.x station is sent, shown on its display
(`cost_display.py`): 2.x's CostUpdated, and 2.1's tariff messages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ocpp.v21 import call_result as r21
from ocpp.v201 import call_result as r

from chargeyard.simulator.v201_handler import Handlers, handles


class CostHandlers(Handlers):
    @handles("CostUpdated")
    def on_cost_updated(self, total_cost: Any, transaction_id: str, **_: Any) -> r.CostUpdated:
        self.station.display.running_cost(transaction_id, Decimal(str(total_cost)))
        return r.CostUpdated()


class TariffHandlers(Handlers):
    """OCPP 2.1's local cost calculation, as far as a display goes: the station keeps the
    default tariffs it is given per EVSE and the sessions' own, and lists and clears them
    (`cost_display.py` says how)."""

    @handles("SetDefaultTariff")
    def on_set_default_tariff(
        self, evse_id: int, tariff: dict[str, Any], **_: Any
    ) -> r21.SetDefaultTariff:
        if self.refuses("SetDefaultTariff"):
            return r21.SetDefaultTariff(status="Rejected")
        return r21.SetDefaultTariff(status=self.station.display.tariff(evse_id, tariff))

    @handles("GetTariffs")
    def on_get_tariffs(self, evse_id: int, **_: Any) -> r21.GetTariffs:
        assignments = self.station.display.assignments(evse_id)
        if not assignments:
            return r21.GetTariffs(status="NoTariff")
        return r21.GetTariffs(status="Accepted", tariff_assignments=assignments)

    @handles("ClearTariffs")
    def on_clear_tariffs(
        self, tariff_ids: list[str] | None = None, evse_id: int | None = None, **_: Any
    ) -> r21.ClearTariffs:
        results = [
            {"status": status} if tariff_id is None else {"status": status, "tariff_id": tariff_id}
            for tariff_id, status in self.station.display.clear_tariffs(tariff_ids, evse_id)
        ]
        return r21.ClearTariffs(clear_tariffs_result=results)

    @handles("ChangeTransactionTariff")
    def on_change_transaction_tariff(
        self, tariff: dict[str, Any], transaction_id: str, **_: Any
    ) -> r21.ChangeTransactionTariff:
        if not any(
            c.transaction is not None and str(c.transaction.transaction_id) == transaction_id
            for c in self.station.charger.connectors.values()
        ):
            return r21.ChangeTransactionTariff(status="TxNotFound")
        status = self.station.display.transaction_tariff(transaction_id, tariff)
        return r21.ChangeTransactionTariff(status=status)
