"""Which OCPP 2.1 stations calculate costs locally, and so may be sent tariffs.

OCPP 2.1 (Part 2, functional block I, and its Tariff and Cost configuration variables):
`TariffCostCtrlr.Available[Tariff]` says a station supports the TariffType structure, and
`TariffCostCtrlr.Enabled[Tariff]` that its local cost calculation is switched on. Only the second
makes a tariff useful: a station with it off may still accept a default tariff, but it does not
calculate with it, and a driver-specific tariff in an AuthorizeResponse is for it a tariff it
cannot process (`TariffCostCtrlr.Problem`; with `HandleFailedTariff` = `Deauthorize` the driver
is refused). So Chargeyard sends tariffs only where the station reported `Enabled[Tariff]`'s
actual value as true, and never guesses it.

Two more of its variables say what such a station can take: with
`ConditionsSupported[Tariff]` false it refuses a tariff whose prices carry conditions
(`ConditionNotSupported`), and `MaxElements[Tariff]` caps the prices per dimension
(`TooManyElements`). `LocalCalculation` holds the three as reported.

`TariffTakers` remembers them per station, so that a 2.1 station that does not take
tariffs pays no read for it at Authorize, nor at its connection (`station_defaults.py`): an entry is dropped when the station reports its device
model (`device_model.reported`, heard as a commit listener) or boots, and is at most `ttl_s` old
(a report stored by another node is heard by that node only).
"""

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from chargeyard.device_model.repository import DeviceModelRepository
from chargeyard.events.payloads import DEVICE_MODEL_REPORTED, STATION_BOOTED
from chargeyard.storage.database import Database

PROTOCOL = "ocpp2.1"
CONTROLLER, VARIABLE, INSTANCE = "TariffCostCtrlr", "Enabled", "Tariff"
CONDITIONS, MAX_ELEMENTS = "ConditionsSupported", "MaxElements"
_FORGET_ON = frozenset({DEVICE_MODEL_REPORTED.name, STATION_BOOTED.name})
_MOST_REMEMBERED = 100_000


@dataclass(frozen=True)
class LocalCalculation:
    """What a station reported of its local cost calculation: on or off, whether it takes
    prices with conditions, how many prices per dimension at most (None: not said)."""

    enabled: bool
    conditions: bool = True
    max_elements: int | None = None


NONE = LocalCalculation(enabled=False)


def _actual(variables: Iterable[Any], name: str) -> str | None:
    for v in variables:
        if (
            v.component_name == CONTROLLER
            and v.variable_name == name
            and v.variable_instance == INSTANCE
            and v.attribute_type == "Actual"
        ):
            return (v.value or "").strip().lower()
    return None


def handles_tariffs(variables: Iterable[Any]) -> bool:
    """The station reported `TariffCostCtrlr.Enabled[Tariff]` (its actual value) as true."""
    return _actual(variables, VARIABLE) == "true"


def local_calculation(variables: Sequence[Any]) -> LocalCalculation:
    if not handles_tariffs(variables):
        return NONE
    most = _actual(variables, MAX_ELEMENTS)
    return LocalCalculation(
        enabled=True,
        conditions=_actual(variables, CONDITIONS) != "false",
        max_elements=int(most) if most is not None and most.isdigit() else None,
    )


async def reported(db: Database, organization_id: str, station_id: str) -> LocalCalculation:
    async with db.reading() as uow:
        model = DeviceModelRepository(uow.session, organization_id)
        return local_calculation(await model.variables_named(station_id, {CONTROLLER}))


class TariffTakers:
    def __init__(
        self, ttl_s: float = 60.0, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl_s = ttl_s
        self.monotonic = monotonic
        self._known: dict[tuple[str, str], tuple[LocalCalculation, float]] = {}

    def known(self, organization_id: str, station_id: str) -> LocalCalculation | None:
        """What is remembered of the station, without a read (None: nothing, or too old)."""
        known = self._known.get((organization_id, station_id))
        if known is not None and self.monotonic() - known[1] < self.ttl_s:
            return known[0]
        return None

    async def of(self, db: Database, organization_id: str, station_id: str) -> LocalCalculation:
        remembered = self.known(organization_id, station_id)
        if remembered is not None:
            return remembered
        key = (organization_id, station_id)
        now = self.monotonic()
        answer = await reported(db, organization_id, station_id)
        if len(self._known) >= _MOST_REMEMBERED:
            self._known.clear()
        self._known[key] = (answer, now)
        return answer

    def __call__(self, published: Sequence[Any]) -> None:
        """A commit listener: a station that reported its device model, or booted, is asked
        again at its next Authorize."""
        for event in published:
            if event.type in _FORGET_ON and event.station_id is not None:
                self._known.pop((event.organization_id, event.station_id), None)
