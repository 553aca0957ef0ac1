"""Every command the API offers: its kebab-case name, its body, and how the body becomes a
neutral command (with whatever Chargeyard must look up or record on the way)."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from chargeyard.api.schemas import Input
from chargeyard.charging_profiles.service import checked_profile
from chargeyard.commands import device_catalog as dc
from chargeyard.commands import device_management as dm
from chargeyard.commands import device_schemas as ds
from chargeyard.commands import domain as cmd
from chargeyard.commands import schemas as s
from chargeyard.commands import tariff_catalog as tcat
from chargeyard.commands import tariff_schemas as ts
from chargeyard.commands.dispatcher import Outcome
from chargeyard.commands.runner import Request, Scope, Settle
from chargeyard.commands.station_passwords import configuration_settled, variables_settled
from chargeyard.errors import Conflict, Invalid
from chargeyard.id_tags.models import IdTag
from chargeyard.id_tags.repository import IdTagRepository
from chargeyard.permissions.service import PermissionService
from chargeyard.reservations.service import ReservationService
from chargeyard.storage.repository import Page
from chargeyard.transactions.models import Transaction
from chargeyard.transactions.repository import TransactionRepository

B = TypeVar("B", bound=Input)


@dataclass(frozen=True)
class CommandSpec(Generic[B]):
    name: str
    body: type[B]
    build: Callable[[Scope, B], Awaitable[cmd.Command]]
    summary: str
    settle: Settle | None = None

    def request(self, body: B) -> Request:
        async def build(scope: Scope) -> cmd.Command:
            return await self.build(scope, body)

        dumped = body.model_dump(mode="json", exclude_unset=True)
        if self.settle is None:
            return Request(self.name, dumped, build)
        return Request(self.name, dumped, build, self.settle)


def _simple(make: Callable[[Any], cmd.Command]) -> Callable[[Scope, Any], Awaitable[cmd.Command]]:
    async def build(_scope: Scope, body: Any) -> cmd.Command:
        return make(body)

    return build


async def station_transaction(scope: Scope, transaction_id: int) -> Transaction:
    tx = await TransactionRepository(scope.uow.session, scope.organization_id).get(transaction_id)
    if tx.station_id != scope.station.id:
        raise Invalid(f"transaction {transaction_id} ran on station {tx.station_id!r}")
    return tx


async def _remote_start(scope: Scope, body: s.RemoteStartIn) -> cmd.Command:
    profile = None
    if body.charging_profile is not None:
        profile = body.charging_profile.to_domain()
        await checked_profile(
            scope.uow,
            scope.organization_id,
            scope.station.id,
            body.evse_id or 0,
            profile,
            for_remote_start=True,
        )
    return cmd.RemoteStart(
        id_tag=body.id_tag,
        evse_id=body.evse_id,
        charging_profile=profile,
        remote_start_id=dc.request_id(),
        token_type=await dc.token_type(scope, body.id_tag),
    )


async def _remote_stop(scope: Scope, body: s.TransactionRef) -> cmd.Command:
    tx = await station_transaction(scope, body.transaction_id)
    if tx.stopped_at is not None:
        raise Conflict(f"transaction {tx.id} has stopped already")
    return cmd.RemoteStop(ocpp_transaction_id=tx.ocpp_transaction_id or str(tx.id))


async def _reserve_now(scope: Scope, body: s.ReserveNowIn) -> cmd.Command:
    # Read before writing: the runner stores the command when building left unflushed writes.
    token_type = await dc.token_type(scope, body.id_tag)
    reservation = await ReservationService(scope.uow, scope.organization_id, scope.clock).create(
        scope.station.id, body.evse_id, body.id_tag, body.expires_at, body.parent_id_tag
    )
    return cmd.ReserveNow(
        reservation_id=reservation.id,
        evse_id=body.evse_id,
        id_tag=body.id_tag,
        expires_at=body.expires_at,
        parent_id_tag=body.parent_id_tag,
        token_type=token_type,
    )


async def _reserve_settled(scope: Scope, command: cmd.Command, outcome: Outcome) -> None:
    assert isinstance(command, cmd.ReserveNow)
    service = ReservationService(scope.uow, scope.organization_id, scope.clock)
    reservation = await service.to_move(command.reservation_id)
    service.answered(reservation, None if outcome.answer is None else outcome.answer.status)


async def _cancel_reservation(scope: Scope, body: s.CancelReservationIn) -> cmd.Command:
    service = ReservationService(scope.uow, scope.organization_id, scope.clock)
    reservation = await service.get(body.reservation_id)
    if reservation.station_id != scope.station.id:
        raise Invalid(f"reservation {reservation.id} is on station {reservation.station_id!r}")
    return cmd.CancelReservation(reservation_id=reservation.id)


async def _cancel_settled(scope: Scope, command: cmd.Command, outcome: Outcome) -> None:
    assert isinstance(command, cmd.CancelReservation)
    if outcome.answer is not None and outcome.answer.status == "Accepted":
        service = ReservationService(scope.uow, scope.organization_id, scope.clock)
        service.cancelled(await service.to_move(command.reservation_id))


def _list_entry(tag: IdTag) -> cmd.LocalListEntry:
    return cmd.LocalListEntry(
        id_tag=tag.value,
        status=tag.status,
        expires_at=tag.expires_at,
        parent_id_tag=tag.parent_id_tag,
        token_type=tag.token_type,
    )


async def _send_local_list(scope: Scope, body: s.SendLocalListIn) -> cmd.Command:
    """The list holds exactly the tags permitted at this station (permissions/): without
    `id_tags`, all of them; a tag named in `id_tags` that is not permitted there is refused."""
    tags = IdTagRepository(scope.uow.session, scope.organization_id)
    permissions = PermissionService(scope.uow, scope.organization_id, scope.clock)
    if body.id_tags is None:
        listed = await tags.search(Page(0, 100_000))
        permitted = await permissions.permitted(listed.items, scope.station.id)
        entries = tuple(_list_entry(tag) for tag in permitted)
    else:
        known = await tags.by_values(body.id_tags)
        allowed = {
            t.id for t in await permissions.permitted(list(known.values()), scope.station.id)
        }
        refused = sorted(v for v, tag in known.items() if tag.id not in allowed)
        if body.update_type is cmd.ListUpdate.FULL and refused:
            raise Invalid(f"ID tags not permitted at this station: {', '.join(refused)}")
        if body.update_type is cmd.ListUpdate.FULL and len(known) < len(set(body.id_tags)):
            missing = sorted(set(body.id_tags) - set(known))
            raise Invalid(f"unknown ID tags for a full list: {', '.join(missing)}")
        # In a differential update, a tag unknown or not permitted here is removed.
        entries = tuple(
            _list_entry(known[v])
            if v in known and known[v].id in allowed
            else cmd.LocalListEntry(id_tag=v)
            for v in body.id_tags
        )
    version = body.version or int(scope.clock().timestamp())
    return cmd.SendLocalList(version=version, update_type=body.update_type, entries=entries)


async def _set_charging_profile(scope: Scope, body: s.SetChargingProfileIn) -> cmd.Command:
    profile = body.charging_profile.to_domain()
    ocpp_tx = await checked_profile(
        scope.uow, scope.organization_id, scope.station.id, body.evse_id, profile
    )
    return cmd.SetChargingProfile(
        evse_id=body.evse_id, profile=profile, ocpp_transaction_id=ocpp_tx
    )


async def _update_firmware(scope: Scope, body: s.UpdateFirmwareIn) -> cmd.Command:
    return cmd.UpdateFirmware(
        location=body.location,
        retrieve_at=body.retrieve_at or scope.clock(),
        retries=body.retries,
        retry_interval_s=body.retry_interval_s,
        request_id=dc.request_id(),
    )


SPECS: tuple[CommandSpec[Any], ...] = (
    CommandSpec("remote-start", s.RemoteStartIn, _remote_start, "Start a session remotely."),
    CommandSpec("remote-stop", s.TransactionRef, _remote_stop, "Ask the station to stop."),
    CommandSpec(
        "reset",
        s.ResetIn,
        _simple(lambda b: cmd.Reset(type=b.type, evse_id=b.evse_id)),
        "Reboot the station (soft or hard).",
    ),
    CommandSpec(
        "unlock-connector",
        s.UnlockConnectorIn,
        _simple(lambda b: cmd.UnlockConnector(evse_id=b.evse_id, connector_id=b.connector_id)),
        "Release a connector's cable lock.",
    ),
    CommandSpec(
        "change-availability",
        s.ChangeAvailabilityIn,
        _simple(
            lambda b: cmd.ChangeAvailability(
                evse_id=b.evse_id, operative=b.operative, connector_id=b.connector_id
            )
        ),
        "Take an EVSE (or the station) in or out of service.",
    ),
    CommandSpec(
        "trigger-message",
        s.TriggerMessageIn,
        _simple(lambda b: cmd.TriggerMessage(message=b.message, evse_id=b.evse_id)),
        "Ask the station to send a message now.",
    ),
    CommandSpec(
        "get-configuration",
        s.GetConfigurationIn,
        _simple(lambda b: cmd.GetConfiguration(keys=tuple(b.keys))),
        "Read configuration keys (all when none are named).",
    ),
    CommandSpec(
        "change-configuration",
        s.ChangeConfigurationIn,
        _simple(lambda b: cmd.ChangeConfiguration(key=b.key, value=b.value)),
        "Set one configuration key.",
        settle=configuration_settled,
    ),
    CommandSpec(
        "clear-cache", s.NoBody, _simple(lambda _b: cmd.ClearCache()), "Clear the auth cache."
    ),
    CommandSpec(
        "data-transfer",
        s.DataTransferIn,
        _simple(
            lambda b: cmd.DataTransfer(vendor_id=b.vendor_id, message_id=b.message_id, data=b.data)
        ),
        "Send vendor-specific data.",
    ),
    CommandSpec(
        "reserve-now",
        s.ReserveNowIn,
        _reserve_now,
        "Reserve an EVSE for an ID tag (see /reservations).",
        settle=_reserve_settled,
    ),
    CommandSpec(
        "cancel-reservation",
        s.CancelReservationIn,
        _cancel_reservation,
        "Cancel a reservation.",
        settle=_cancel_settled,
    ),
    CommandSpec(
        "send-local-list",
        s.SendLocalListIn,
        _send_local_list,
        "Send the local authorization list, built from the organization's ID tags.",
    ),
    CommandSpec(
        "get-local-list-version",
        s.NoBody,
        _simple(lambda _b: cmd.GetLocalListVersion()),
        "Read the station's local list version.",
    ),
    CommandSpec(
        "update-firmware", s.UpdateFirmwareIn, _update_firmware, "Install firmware from a URL."
    ),
    CommandSpec(
        "get-diagnostics",
        s.GetDiagnosticsIn,
        _simple(
            lambda b: cmd.GetDiagnostics(
                location=b.location,
                retries=b.retries,
                retry_interval_s=b.retry_interval_s,
                start=b.start,
                stop=b.stop,
                request_id=dc.request_id(),
            )
        ),
        "Have the station upload diagnostics to a URL.",
    ),
    CommandSpec(
        "set-charging-profile",
        s.SetChargingProfileIn,
        _set_charging_profile,
        "Install a charging profile (validated first).",
    ),
    CommandSpec(
        "clear-charging-profile",
        s.ClearChargingProfileIn,
        _simple(
            lambda b: cmd.ClearChargingProfile(
                profile_id=b.id, evse_id=b.evse_id, purpose=b.purpose, stack_level=b.stack_level
            )
        ),
        "Remove charging profiles by id or by EVSE, purpose and stack level.",
    ),
    CommandSpec(
        "get-composite-schedule",
        s.GetCompositeScheduleIn,
        _simple(
            lambda b: cmd.GetCompositeSchedule(
                evse_id=b.evse_id, duration_s=b.duration, unit=b.charging_rate_unit
            )
        ),
        "Read the limits the station will apply over a duration.",
    ),
    # OCPP 2.x only (a 1.6 station answers 422).
    CommandSpec(
        "get-charging-profiles",
        ds.GetChargingProfilesIn,
        dc.get_charging_profiles,
        "Have the station report its charging profiles (ReportChargingProfiles).",
    ),
    CommandSpec("get-variables", ds.GetVariablesIn, dc.get_variables, "Read device variables."),
    CommandSpec(
        "set-variables",
        ds.SetVariablesIn,
        dc.set_variables,
        "Set device variables.",
        settle=variables_settled,
    ),
    CommandSpec(
        "get-base-report",
        ds.GetBaseReportIn,
        dc.get_base_report,
        "Have the station report its device model (NotifyReport).",
    ),
    CommandSpec("get-report", ds.GetReportIn, dc.get_report, "Report selected components."),
    CommandSpec(
        "get-monitoring-report",
        ds.GetMonitoringReportIn,
        dc.get_monitoring_report,
        "Have the station report its monitors (NotifyMonitoringReport); without criteria and "
        "components the report replaces the stored monitors.",
        settle=dc.monitoring_report_answered,
    ),
    CommandSpec(
        "set-variable-monitoring",
        ds.SetVariableMonitoringIn,
        dc.set_variable_monitoring,
        "Install monitors on device variables.",
    ),
    CommandSpec(
        "clear-variable-monitoring",
        ds.ClearVariableMonitoringIn,
        _simple(lambda b: dm.ClearVariableMonitoring(ids=tuple(b.ids))),
        "Remove monitors by id (those the station clears leave the monitors list).",
        settle=dc.monitors_cleared,
    ),
    CommandSpec(
        "set-monitoring-base",
        ds.SetMonitoringBaseIn,
        _simple(lambda b: dm.SetMonitoringBase(base=b.base)),
        "Choose which monitors are active.",
    ),
    CommandSpec(
        "set-monitoring-level",
        ds.SetMonitoringLevelIn,
        _simple(lambda b: dm.SetMonitoringLevel(severity=b.severity)),
        "Report only events of this severity or worse.",
    ),
    CommandSpec(
        "customer-information",
        ds.CustomerInformationIn,
        dc.customer_information,
        "Report and/or clear what the station holds about a customer.",
    ),
    CommandSpec(
        "set-display-message",
        ds.SetDisplayMessageIn,
        dc.set_display_message,
        "Show a message on the station's display.",
    ),
    CommandSpec(
        "get-display-messages",
        ds.GetDisplayMessagesIn,
        dc.get_display_messages,
        "Have the station report its display messages.",
    ),
    CommandSpec(
        "clear-display-message",
        ds.ClearDisplayMessageIn,
        _simple(lambda b: dm.ClearDisplayMessage(id=b.id)),
        "Remove a display message.",
    ),
    CommandSpec(
        "install-certificate",
        ds.InstallCertificateIn,
        _simple(
            lambda b: dm.InstallCertificate(
                certificate_type=b.certificate_type, certificate=b.certificate
            )
        ),
        "Install a root certificate.",
    ),
    CommandSpec(
        "delete-certificate",
        ds.CertificateHashIn,
        _simple(lambda b: dm.DeleteCertificate(certificate=b.to_domain())),
        "Delete an installed certificate.",
    ),
    CommandSpec(
        "get-installed-certificate-ids",
        ds.GetInstalledCertificateIdsIn,
        _simple(
            lambda b: dm.GetInstalledCertificateIds(certificate_types=tuple(b.certificate_types))
        ),
        "List installed certificates.",
    ),
    CommandSpec("get-log", ds.GetLogIn, dc.get_log, "Have the station upload a log to a URL."),
    CommandSpec(
        "signed-update-firmware",
        ds.SignedUpdateFirmwareIn,
        dc.signed_update_firmware,
        "Install signed firmware from a URL.",
    ),
    # OCPP 2.1 only (a 1.6 or 2.0.1 station answers 422).
    CommandSpec(
        "set-default-tariff",
        ts.SetDefaultTariffIn,
        tcat.set_default_tariff,
        "Install a tariff for the station to calculate costs with (SetDefaultTariff).",
    ),
    CommandSpec(
        "get-tariffs", ts.GetTariffsIn, tcat.get_tariffs, "Read the tariffs the station holds."
    ),
    CommandSpec(
        "clear-tariffs", ts.ClearTariffsIn, tcat.clear_tariffs, "Remove tariffs from the station."
    ),
    CommandSpec(
        "change-transaction-tariff",
        ts.ChangeTransactionTariffIn,
        tcat.change_transaction_tariff,
        "Give a running session the tariff Chargeyard prices it with.",
    ),
)

BY_NAME = {spec.name: spec for spec in SPECS}
