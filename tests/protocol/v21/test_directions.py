"""Which 2.1-only messages a CSMS handles: every one a station sends, none of those only a CSMS
sends (a station sending one is answered NotSupported)."""

from ocpp.v21.enums import Action
from ocpp.v201.enums import Action as Action201

from chargeyard.protocol.v21.session import V21Session

STATION_TO_CSMS = {
    "BatterySwap",
    "ClosePeriodicEventStream",
    "GetCertificateChainStatus",
    "NotifyDERAlarm",
    "NotifyDERStartStop",
    "NotifyPriorityCharging",
    "NotifySettlement",
    "OpenPeriodicEventStream",
    "PullDynamicScheduleUpdate",
    "ReportDERControl",
    "VatNumberValidation",
}
CSMS_TO_STATION = {
    "AFRRSignal",
    "AdjustPeriodicEventStream",
    "ChangeTransactionTariff",
    "ClearDERControl",
    "ClearTariffs",
    "GetDERControl",
    "GetPeriodicEventStream",
    "GetTariffs",
    "NotifyAllowedEnergyTransfer",
    "NotifyWebPaymentStarted",
    "RequestBatterySwap",
    "SetDERControl",
    "SetDefaultTariff",
    "UpdateDynamicSchedule",
    "UsePriorityCharging",
}


def handled() -> set[str]:
    return {
        member._on_action
        for name in dir(V21Session)
        if hasattr(member := getattr(V21Session, name), "_on_action")
    }


def test_every_2_1_only_action_has_a_direction() -> None:
    only_21 = {a.value for a in Action} - {a.value for a in Action201}
    assert only_21 == STATION_TO_CSMS | CSMS_TO_STATION


def test_station_messages_are_handled_and_csms_messages_are_not() -> None:
    assert handled() >= STATION_TO_CSMS
    assert not CSMS_TO_STATION & handled()
