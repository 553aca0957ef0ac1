"""The tariff commands of OCPP 2.1 (functional block I, local cost calculation), as
protocol-free values: install a default tariff, read and clear the tariffs a station holds, and
give a running transaction its tariff.

A tariff travels as `StationTariff`: one version of a Chargeyard tariff (`tariffs/domain.py`),
never a price list a caller typed, so what a station calculates with is what Chargeyard prices
with. Only the 2.1 renderer (`protocol/v21/tariffs.py`) has forms for these; a 1.6 or 2.0.1
station answers `CommandNotSupported` (422).
"""

from dataclasses import dataclass

from chargeyard.commands.domain import Command
from chargeyard.tariffs.domain import TariffDefinition


def station_tariff_id(tariff_id: str, version: int) -> str:
    """A version's id on the station: 2.1 refuses a second tariff under an id it holds
    (DuplicateTariffId), and a new version is a different price list."""
    return f"{tariff_id}-v{version}"


@dataclass(frozen=True)
class StationTariff:
    """A tariff version as a station is sent it. `description` is the line a driver reads
    (`costing/price_display.py`)."""

    tariff_id: str
    version: int
    definition: TariffDefinition
    description: str | None = None

    @property
    def station_id(self) -> str:
        """Its id on the station (`station_tariff_id`)."""
        return station_tariff_id(self.tariff_id, self.version)


@dataclass(frozen=True)
class SetDefaultTariff(Command):
    """`evse_id` 0: every EVSE of the station."""

    name = "set-default-tariff"
    evse_id: int
    tariff: StationTariff


@dataclass(frozen=True)
class GetTariffs(Command):
    name = "get-tariffs"
    evse_id: int = 0


@dataclass(frozen=True)
class ClearTariffs(Command):
    """No `tariff_ids`: every tariff (at `evse_id`, when given). Ids are the station's
    (`<tariff id>-v<version>`, as `get-tariffs` lists them)."""

    name = "clear-tariffs"
    tariff_ids: tuple[str, ...] = ()
    evse_id: int | None = None


@dataclass(frozen=True)
class ChangeTransactionTariff(Command):
    name = "change-transaction-tariff"
    ocpp_transaction_id: str
    tariff: StationTariff
