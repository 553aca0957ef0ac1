"""Request bodies of OCPP 2.1's tariff commands (tariff_commands.py), in snake_case."""

from pydantic import Field

from chargeyard.api.schemas import Input
from chargeyard.commands.schemas import TransactionRef

EvseField = Field(0, ge=0, le=2**31 - 1, description="0: every EVSE of the station.")


class SetDefaultTariffIn(Input):
    evse_id: int = EvseField
    tariff_id: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        description=(
            "The tariff whose version in force now to install. Absent: the tariff that prices "
            "sessions on this EVSE (or station) without a tariff group."
        ),
    )


class GetTariffsIn(Input):
    evse_id: int = EvseField


class ClearTariffsIn(Input):
    tariff_ids: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="The station's tariff ids (`<tariff id>-v<version>`); none: every tariff.",
    )
    evse_id: int | None = Field(None, ge=0, le=2**31 - 1)


class ChangeTransactionTariffIn(TransactionRef):
    """The session is sent the tariff version Chargeyard prices it with (its tariff group's,
    where one applied at its start): a station that started it under its default tariff then
    calculates with the right one. Chargeyard never re-prices a running session, so no other
    tariff can be named."""
