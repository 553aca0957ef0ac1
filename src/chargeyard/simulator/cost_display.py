"""What a simulated station's display shows of prices and costs: the last price text a driver
was shown, each session's running and final cost, and (OCPP 2.1) the tariffs it was given.

It reads what the CSMS sends, in each version's own terms: 1.6's Open Charge Alliance cost
messages (DataTransfer `org.openchargealliance.costmsg`: SetUserPrice, RunningCost, FinalCost),
2.x's CostUpdated, and 2.1's tariffs. Every change is logged as the line a driver would read;
tests and the simulate CLI read the values.

OCPP 2.1's tariffs are of two kinds (GetTariffs' `tariffKind`). Default tariffs
(SetDefaultTariff) stay until replaced or cleared. A driver tariff belongs to one session: the
one an AuthorizeResponse gave for an ID tag waits for that tag's next session and becomes its
own when it starts (a later session of the tag, not authorized again, uses the defaults), and
ChangeTransactionTariff gives a running session its own; either goes when the session ends.
ClearTariffs removes default tariffs only (answering per tariff id), all of them without ids,
those in force at `evseId` with one (the station's among them: it is installed on every EVSE,
so that EVSE then holds none); a driver tariff is installed nowhere, and goes only with its
session. A session keeps its own tariff, and one calculated with a cleared default finishes
with it (OCPP 2.1 I10.FR.07). ChangeTransactionTariff refuses a tariff in another currency than
the one the session is calculated in (`NoCurrencyChange`) and a session the station is not
running (`TxNotFound`).

GetTariffs for EVSE 0 lists every tariff; for EVSE n, those that apply there: its own defaults
or, without any, the station-wide default (installed at EVSE 0, applying to every EVSE: it is
listed as such, `evseIds` [0]), and the sessions' tariffs at EVSE n. A session's tariff is
listed while the session runs, its own as a `DriverTariff`, and a cleared or replaced default
it is still calculated with as the `DefaultTariff` it was (the Open Charge Alliance's TC_I_111).
"""

import json
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

logger = logging.getLogger(__name__)

COST_VENDOR = "org.openchargealliance.costmsg"
COST_MESSAGES = frozenset({"SetUserPrice", "RunningCost", "FinalCost"})


@dataclass(frozen=True)
class Priced:
    """A running session: its ID tag, its EVSE, the currency it is calculated in (None: no
    tariff)."""

    id_tag: str
    evse_id: int
    currency: str | None
    default_tariff_id: str | None = None
    """The default tariff it is calculated with (None: its own one, or none)."""


@dataclass
class CostDisplay:
    station_id: str
    price_texts: dict[str, str] = field(default_factory=dict)  # ID tag → its price text
    running: dict[str, Decimal] = field(default_factory=dict)  # transaction → cost so far
    final: dict[str, Decimal] = field(default_factory=dict)  # transaction → its total
    final_texts: dict[str, str] = field(default_factory=dict)
    tariffs: dict[int, dict[str, dict[str, Any]]] = field(
        default_factory=dict
    )  # EVSE → id → default tariff
    transaction_tariffs: dict[str, dict[str, Any]] = field(
        default_factory=dict
    )  # running session → its own tariff
    driver_tariffs: dict[str, dict[str, Any]] = field(
        default_factory=dict
    )  # ID tag → its tariff, until a session of it starts
    sessions: dict[str, Priced] = field(default_factory=dict)  # running session → how priced

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
        """A 2.1 driver tariff (an AuthorizeResponse's): the tag's next session uses it."""
        self.driver_tariffs[id_tag] = tariff
        logger.info("%s display: %s priced by %s", self.station_id, id_tag, tariff["tariff_id"])

    def session_started(self, transaction_id: str, id_tag: str, evse_id: int) -> str | None:
        """The id of the 2.1 tariff the session is calculated with (None: it has none): the
        driver tariff given for its tag, which becomes the session's own, else the EVSE's
        default, else the station's."""
        own = self.driver_tariffs.pop(id_tag, None)
        if own is not None:
            self.transaction_tariffs[transaction_id] = own
        tariff = own if own is not None else self._default(evse_id)
        currency = None if tariff is None else tariff.get("currency")
        tariff_id = None if tariff is None else str(tariff["tariff_id"])
        default = tariff_id if own is None else None
        self.sessions[transaction_id] = Priced(id_tag, evse_id, currency, default)
        return tariff_id

    def session_ended(self, transaction_id: str) -> None:
        """The session's own tariff goes with it."""
        self.transaction_tariffs.pop(transaction_id, None)
        self.sessions.pop(transaction_id, None)

    def _default(self, evse_id: int) -> dict[str, Any] | None:
        held = self._held_at(evse_id)
        return next(iter(held.values())) if held else None

    def _held_at(self, evse_id: int) -> dict[str, dict[str, Any]]:
        """The defaults in force at `evse_id`: its own, none where one was cleared there, else
        the station's (as `tariffs/station_holdings.py: held_at` reads the command log)."""
        if evse_id in self.tariffs:
            return self.tariffs[evse_id]
        return self.tariffs.get(0, {})

    def transaction_tariff(self, transaction_id: str, tariff: dict[str, Any]) -> str:
        """ChangeTransactionTariff for a running session; its status."""
        session = self.sessions.get(transaction_id)
        currency = tariff.get("currency")
        if session is not None and session.currency not in (None, currency):
            return "NoCurrencyChange"
        if session is not None:
            self.sessions[transaction_id] = Priced(session.id_tag, session.evse_id, currency)
        self.transaction_tariffs[transaction_id] = tariff
        logger.info(
            "%s display: session %s now priced by %s",
            self.station_id,
            transaction_id,
            tariff["tariff_id"],
        )
        return "Accepted"

    def clear_tariffs(
        self, tariff_ids: list[str] | None, evse_id: int | None
    ) -> list[tuple[str | None, str]]:
        """Default tariffs removed (`tariff_ids`, or all of them without ids), each named id
        with its status, else each removed one (`NoTariff` alone when there was none); driver
        tariffs are never touched. Everywhere without `evse_id`: an EVSE whose own tariff goes
        is priced by the station's again. At `evse_id`: the defaults in force there, its own or
        the station's, and the EVSE then holds none (the station-wide default installed at
        EVSE 0 is installed on every EVSE; `tariffs/station_holdings.py` keeps the same
        books)."""
        removed: list[str] = []
        if evse_id is None:
            for evse, held in list(self.tariffs.items()):
                gone = [t for t in held if tariff_ids is None or t in tariff_ids]
                removed += [t for t in gone if t not in removed]
                if gone:
                    del self.tariffs[evse]
        else:
            held = self._held_at(evse_id)
            gone = [t for t in held if tariff_ids is None or t in tariff_ids]
            if gone:
                removed = gone
                self.tariffs[evse_id] = {}
        if tariff_ids:
            return [(t, "Accepted" if t in removed else "NoTariff") for t in tariff_ids]
        return [(t, "Accepted") for t in removed] or [(None, "NoTariff")]

    def assignments(self, evse_id: int) -> list[dict[str, Any]]:
        """GetTariffs' tariff assignments at `evse_id` (0: everywhere): the default tariffs
        that apply there (at EVSE n its own, else the station-wide one), the running sessions'
        tariffs at their EVSEs (a default no longer installed that one is calculated with
        among them), and (at 0) the driver tariffs waiting for a session."""
        found: list[dict[str, Any]] = [
            {"tariff_id": tariff_id, "tariff_kind": "DefaultTariff", "evse_ids": [evse]}
            for evse, held in self._installed(evse_id)
            for tariff_id in held
        ]
        listed: set[str | None] = {a["tariff_id"] for a in found}
        for transaction_id, session in self.sessions.items():
            if evse_id not in (0, session.evse_id):
                continue
            own = self.transaction_tariffs.get(transaction_id)
            if own is not None:
                found.append(_driver(own, session.id_tag, session.evse_id))
            elif session.default_tariff_id not in (None, *listed):
                listed.add(session.default_tariff_id)
                found.append(
                    {
                        "tariff_id": session.default_tariff_id,
                        "tariff_kind": "DefaultTariff",
                        "evse_ids": [session.evse_id],
                    }
                )
        if evse_id == 0:
            found += [_driver(t, tag, None) for tag, t in self.driver_tariffs.items()]
        return found

    def _installed(self, evse_id: int) -> list[tuple[int, dict[str, dict[str, Any]]]]:
        """The defaults GetTariffs lists at `evse_id`, by the EVSE they are installed at."""
        if evse_id == 0:
            return [(evse, held) for evse, held in sorted(self.tariffs.items()) if held]
        held = self._held_at(evse_id)
        if not held:
            return []
        return [(evse_id if evse_id in self.tariffs else 0, held)]


def _driver(tariff: dict[str, Any], id_tag: str, evse_id: int | None) -> dict[str, Any]:
    assignment: dict[str, Any] = {
        "tariff_id": tariff["tariff_id"],
        "tariff_kind": "DriverTariff",
        "id_tokens": [id_tag],
    }
    if evse_id is not None:
        assignment["evse_ids"] = [evse_id]
    return assignment
