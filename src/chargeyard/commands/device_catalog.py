"""How the bodies of the OCPP 2.x-only commands become neutral commands (catalog.py lists them),
and the look-ups 2.x renderings need for every command (an ID tag's token type, request ids)."""

import secrets

from chargeyard.charging_profiles.service import active_transaction
from chargeyard.commands import device_management as dm
from chargeyard.commands import device_schemas as ds
from chargeyard.commands.dispatcher import Outcome
from chargeyard.commands.domain import Command
from chargeyard.commands.runner import Scope
from chargeyard.device_model.domain import VariableRef, is_whole_read
from chargeyard.device_model.service import DeviceModelService
from chargeyard.errors import Invalid
from chargeyard.id_tags.repository import IdTagRepository

_MAX_REQUEST_ID = 2**31 - 1


def request_id(given: int | None = None) -> int:
    """The caller's request id, or a fresh one: ids only need to tell a station's requests apart."""
    return given if given is not None else secrets.randbelow(_MAX_REQUEST_ID) + 1


async def token_type(scope: Scope, id_tag: str) -> str | None:
    """The token type the organization recorded for `id_tag` (None if the tag is unknown)."""
    known = await IdTagRepository(scope.uow.session, scope.organization_id).by_values([id_tag])
    tag = known.get(id_tag)
    return None if tag is None else tag.token_type


async def get_variables(_scope: Scope, body: ds.GetVariablesIn) -> Command:
    return dm.GetVariables(
        queries=tuple(
            dm.VariableQuery(v.component_ref(), v.variable_ref(), v.attribute)
            for v in body.variables
        )
    )


async def set_variables(_scope: Scope, body: ds.SetVariablesIn) -> Command:
    return dm.SetVariables(
        settings=tuple(
            dm.VariableSetting(v.component_ref(), v.variable_ref(), v.value, v.attribute)
            for v in body.variables
        )
    )


async def get_base_report(_scope: Scope, body: ds.GetBaseReportIn) -> Command:
    return dm.GetBaseReport(request_id=request_id(body.request_id), report_base=body.report_base)


async def get_report(_scope: Scope, body: ds.GetReportIn) -> Command:
    return dm.GetReport(
        request_id=request_id(body.request_id),
        criteria=tuple(body.component_criteria),
        variables=_component_variables(body.variables),
    )


def _component_variables(
    variables: list[ds.ComponentVariableIn],
) -> tuple[dm.ComponentVariable, ...]:
    return tuple(
        dm.ComponentVariable(
            v.component_ref(),
            None if v.variable is None else VariableRef(v.variable, v.variable_instance),
        )
        for v in variables
    )


async def get_monitoring_report(scope: Scope, body: ds.GetMonitoringReportIn) -> Command:
    """The read is remembered before the CALL goes out (building wrote, so the runner commits
    it first): the station's NotifyMonitoringReport parts may beat its answer to the CSMS."""
    command = dm.GetMonitoringReport(
        request_id=request_id(body.request_id),
        criteria=tuple(body.monitoring_criteria),
        variables=_component_variables(body.variables),
    )
    service = DeviceModelService(scope.uow, scope.organization_id, scope.clock)
    whole = is_whole_read(command.criteria, command.variables)
    await service.start_monitor_read(scope.station.id, command.request_id, whole)
    return command


async def monitoring_report_answered(scope: Scope, command: Command, outcome: Outcome) -> None:
    """EmptyResultSet finishes the read (nothing matched); a refusal ends it."""
    assert isinstance(command, dm.GetMonitoringReport)
    status = None if outcome.answer is None else outcome.answer.status
    service = DeviceModelService(scope.uow, scope.organization_id, scope.clock)
    await service.monitor_read_answered(
        scope.station.id, command.request_id, status, sent=outcome.sent is not None
    )


async def set_variable_monitoring(_scope: Scope, body: ds.SetVariableMonitoringIn) -> Command:
    return dm.SetVariableMonitoring(
        monitors=tuple(
            dm.Monitor(
                component=m.component_ref(),
                variable=m.variable_ref(),
                type=m.type,
                value=m.value,
                severity=m.severity,
                id=m.id,
                transaction=m.transaction,
            )
            for m in body.monitors
        )
    )


async def customer_information(scope: Scope, body: ds.CustomerInformationIn) -> Command:
    return dm.CustomerInformation(
        request_id=request_id(body.request_id),
        report=body.report,
        clear=body.clear,
        customer_identifier=body.customer_identifier,
        id_tag=body.id_tag,
        token_type=None if body.id_tag is None else await token_type(scope, body.id_tag),
        certificate=None if body.certificate is None else body.certificate.to_domain(),
    )


async def set_display_message(scope: Scope, body: ds.SetDisplayMessageIn) -> Command:
    ocpp_tx = None
    if body.transaction_id is not None:
        tx = await active_transaction(
            scope.uow, scope.organization_id, scope.station.id, body.transaction_id
        )
        if tx is None:
            raise Invalid(f"transaction {body.transaction_id} is not active on this station")
        ocpp_tx = tx.ocpp_transaction_id or str(tx.id)
    if body.start_at and body.end_at and body.end_at <= body.start_at:
        raise Invalid("end_at must be after start_at")
    message = dm.DisplayMessage(
        id=body.id,
        priority=body.priority,
        text=body.message,
        format=body.format,
        language=body.language,
        state=body.state,
        start_at=body.start_at,
        end_at=body.end_at,
        evse_id=body.evse_id,
        ocpp_transaction_id=ocpp_tx,
    )
    return dm.SetDisplayMessage(message=message)


async def get_display_messages(_scope: Scope, body: ds.GetDisplayMessagesIn) -> Command:
    return dm.GetDisplayMessages(
        request_id=request_id(body.request_id),
        ids=tuple(body.ids),
        priority=body.priority,
        state=body.state,
    )


async def get_log(_scope: Scope, body: ds.GetLogIn) -> Command:
    return dm.GetLog(
        request_id=request_id(body.request_id),
        log_type=body.log_type,
        location=body.location,
        start=body.start,
        stop=body.stop,
        retries=body.retries,
        retry_interval_s=body.retry_interval_s,
    )


async def signed_update_firmware(scope: Scope, body: ds.SignedUpdateFirmwareIn) -> Command:
    return dm.SignedUpdateFirmware(
        request_id=request_id(body.request_id),
        location=body.location,
        retrieve_at=body.retrieve_at or scope.clock(),
        signing_certificate=body.signing_certificate,
        signature=body.signature,
        install_at=body.install_at,
        retries=body.retries,
        retry_interval_s=body.retry_interval_s,
    )


async def get_charging_profiles(_scope: Scope, body: ds.GetChargingProfilesIn) -> Command:
    return dm.GetChargingProfiles(
        request_id=request_id(body.request_id),
        evse_id=body.evse_id,
        purpose=body.purpose,
        stack_level=body.stack_level,
        profile_ids=tuple(body.ids),
    )


async def monitors_cleared(scope: Scope, command: Command, outcome: Outcome) -> None:
    """A ClearVariableMonitoring's monitors the station answered Accepted for are forgotten
    (`/device-model/monitors` lists what is installed); a refusal or silence keeps them."""
    assert isinstance(command, dm.ClearVariableMonitoring)
    if outcome.answer is None:
        return
    results = outcome.answer.response.get("clear_monitoring_result") or []
    cleared = {
        r["id"]
        for r in results
        if isinstance(r, dict) and r.get("status") == "Accepted" and isinstance(r.get("id"), int)
    }
    if cleared:
        service = DeviceModelService(scope.uow, scope.organization_id, scope.clock)
        await service.forget_monitors(scope.station.id, cleared)
