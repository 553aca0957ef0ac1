"""What a simulated station's display shows of prices and costs: the last price text a driver
was shown, each session's running and final cost, and (OCPP 2.1) the tariffs it was given.

It reads what the CSMS sends, in each version's own terms: 1.6's Open Charge Alliance cost
messages (DataTransfer `org.openchargealliance.costmsg`: SetUserPrice, RunningCost, FinalCost),
2.x's CostUpdated, and 2.1's SetDefaultTariff / ClearTariffs. Every change is logged as the
line a driver would read; tests and the simulate CLI read the values.
"""

import json
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

logger = logging.getLogger(__name__)

COST_VENDOR = "org.openchargealliance.costmsg"
COST_MESSAGES = frozenset({"SetUserPrice", "RunningCost", "FinalCost"})


@dataclass
class CostDisplay:
    station_id: str
    price_texts: dict[str, str] = field(default_factory=dict)  # ID tag → its price text
    running: dict[str, Decimal] = field(default_factory=dict)  # transaction → cost so far
    final: dict[str, Decimal] = field(default_factory=dict)  # transaction → its total
    final_texts: dict[str, str] = field(default_factory=dict)
    tariffs: dict[int, dict[str, dict[str, Any]]] = field(
        default_factory=dict
    )  # EVSE → id → tariff
    transaction_tariffs: dict[str, dict[str, Any]] = field(default_factory=dict)
    driver_tariffs: dict[str, dict[str, Any]] = field(default_factory=dict)  # ID tag → tariff

    def price(self, id_tag: str, text: str) -> None:
        self.price_texts[id_tag] = text
        logger.info("%s display: %s: %s", self.station_id, id_tag, text)

    def running_cost(self, transaction_id: str, cost: Decimal) -> None:
        self.running[transaction_id] = cost
        logger.info("%s display: session %s so far %s", self.station_id, transaction_id, cost)

    def final_cost(self, transaction_id: str, cost: Decimal, text: str | None = None) -> None:
        self.final[transaction_id] = cost
        if text:
            self.final_texts[transaction_id] = text
        logger.info(
            "%s display: session %s total %s %s", self.station_id, transaction_id, cost, text or ""
        )

    def cost_message(self, message_id: str | None, data: str | None) -> bool:
        """A 1.6 cost message (its `data`, a JSON string); False if it is not one this display
        understands."""
        if message_id not in COST_MESSAGES or data is None:
            return False
        try:
            body = json.loads(data, parse_float=Decimal)
            if message_id == "SetUserPrice":
                self.price(str(body["idToken"]), str(body["priceText"]))
            elif message_id == "RunningCost":
                self.running_cost(str(body["transactionId"]), Decimal(str(body["cost"])))
            else:
                text = body.get("priceText")
                self.final_cost(str(body["transactionId"]), Decimal(str(body["cost"])), text)
        except (ValueError, KeyError, TypeError, ArithmeticError):
            return False
        return True

    def tariff(self, evse_id: int, tariff: dict[str, Any]) -> str:
        """A 2.1 default tariff; its status: DuplicateTariffId for an id the EVSE holds. It
        replaces the EVSE's default (no `validFrom` is ever sent); at EVSE 0 it is installed
        on every EVSE, replacing their own ones too (OCPP 2.1 I07)."""
        tariff_id = str(tariff["tariff_id"])
        if tariff_id in self.tariffs.get(evse_id, {}):
            return "DuplicateTariffId"
        if evse_id == 0:
            self.tariffs.clear()
        self.tariffs[evse_id] = {tariff_id: tariff}
        description = (tariff.get("description") or [{}])[0].get("content", tariff_id)
        logger.info("%s display: EVSE %s tariff %s", self.station_id, evse_id, description)
        return "Accepted"

    def driver_tariff(self, id_tag: str, tariff: dict[str, Any]) -> None:
        """A 2.1 driver tariff (an AuthorizeResponse's): that driver's sessions use it."""
        self.driver_tariffs[id_tag] = tariff
        logger.info("%s display: %s priced by %s", self.station_id, id_tag, tariff["tariff_id"])

    def tariff_in_use(self, id_tag: str, evse_id: int) -> str | None:
        """The 2.1 tariff a session started now would be calculated with: the driver's own,
        else the EVSE's default, else the station's (None: it has none)."""
        own = self.driver_tariffs.get(id_tag)
        if own is not None:
            return str(own["tariff_id"])
        for held in (self.tariffs.get(evse_id), self.tariffs.get(0)):
            if held:
                return next(iter(held))
        return None

    def transaction_tariff(self, transaction_id: str, tariff: dict[str, Any]) -> None:
        self.transaction_tariffs[transaction_id] = tariff
        logger.info(
            "%s display: session %s now priced by %s",
            self.station_id,
            transaction_id,
            tariff["tariff_id"],
        )

    def clear_tariffs(self, tariff_ids: list[str] | None, evse_id: int | None) -> list[str]:
        """The ids removed (at `evse_id`, or everywhere)."""
        removed = []
        for evse, held in self.tariffs.items():
            if evse_id is not None and evse != evse_id:
                continue
            for tariff_id in list(held):
                if tariff_ids is None or tariff_id in tariff_ids:
                    del held[tariff_id]
                    removed.append(tariff_id)
        return removed
