"""Request bodies of the OCPP 2.x-only commands (device_management.py), in snake_case.

A component's variable is written flat (`component`, `variable`, and optionally
`component_instance`, `variable_instance`, `evse_id`, `connector_id`). Commands whose answer
arrives later in notifications take an optional `request_id`; without one Chargeyard picks it
(the command record's `ocpp_request` shows it).
"""

from datetime import datetime
from decimal import Decimal

from pydantic import Field, model_validator

from chargeyard.api.schemas import Input
from chargeyard.charging_profiles.domain import ReportedPurpose
from chargeyard.commands import device_management as dm
from chargeyard.device_model.domain import ComponentRef, VariableRef

RequestId = Field(None, ge=0, description="Absent: Chargeyard picks one.")


class ComponentIn(Input):
    component: str = Field(min_length=1, max_length=50)
    component_instance: str | None = Field(None, max_length=50)
    evse_id: int | None = Field(None, ge=0)
    connector_id: int | None = Field(None, ge=1)

    def component_ref(self) -> ComponentRef:
        return ComponentRef(
            name=self.component,
            instance=self.component_instance,
            evse_id=self.evse_id,
            connector_id=self.connector_id,
        )


class VariableIn(ComponentIn):
    variable: str = Field(min_length=1, max_length=50)
    variable_instance: str | None = Field(None, max_length=50)

    def variable_ref(self) -> VariableRef:
        return VariableRef(name=self.variable, instance=self.variable_instance)


class VariableQueryIn(VariableIn):
    attribute: dm.AttributeType | None = Field(None, description="Absent: Actual.")


class VariableSettingIn(VariableQueryIn):
    value: str = Field(max_length=1000)


class GetVariablesIn(Input):
    variables: list[VariableQueryIn] = Field(min_length=1)


class SetVariablesIn(Input):
    variables: list[VariableSettingIn] = Field(min_length=1)


class GetBaseReportIn(Input):
    report_base: dm.ReportBase = dm.ReportBase.FULL
    request_id: int | None = RequestId


class ComponentVariableIn(ComponentIn):
    variable: str | None = Field(None, max_length=50, description="Absent: every variable.")
    variable_instance: str | None = Field(None, max_length=50)


class GetReportIn(Input):
    component_criteria: list[dm.ComponentCriterion] = Field(default_factory=list)
    variables: list[ComponentVariableIn] = Field(default_factory=list)
    request_id: int | None = RequestId


class MonitorIn(VariableIn):
    id: int | None = Field(None, description="Absent: a new monitor; given: replace it.")
    type: dm.MonitorType
    value: Decimal
    severity: int = Field(ge=0, le=9)
    transaction: bool = False


class SetVariableMonitoringIn(Input):
    monitors: list[MonitorIn] = Field(min_length=1)


class ClearVariableMonitoringIn(Input):
    ids: list[int] = Field(min_length=1)


class GetMonitoringReportIn(Input):
    monitoring_criteria: list[dm.MonitoringCriterion] = Field(
        default_factory=list, description="Absent: monitors of every type."
    )
    variables: list[ComponentVariableIn] = Field(
        default_factory=list, description="Absent: monitors of every component."
    )
    request_id: int | None = RequestId


class SetMonitoringBaseIn(Input):
    base: dm.MonitoringBase


class SetMonitoringLevelIn(Input):
    severity: int = Field(ge=0, le=9)


class CertificateHashIn(Input):
    hash_algorithm: dm.HashAlgorithm
    issuer_name_hash: str = Field(min_length=1, max_length=128)
    issuer_key_hash: str = Field(min_length=1, max_length=128)
    serial_number: str = Field(min_length=1, max_length=40)

    def to_domain(self) -> dm.CertificateHash:
        return dm.CertificateHash(
            hash_algorithm=self.hash_algorithm,
            issuer_name_hash=self.issuer_name_hash,
            issuer_key_hash=self.issuer_key_hash,
            serial_number=self.serial_number,
        )


class CustomerInformationIn(Input):
    report: bool = True
    clear: bool = False
    customer_identifier: str | None = Field(None, min_length=1, max_length=64)
    id_tag: str | None = Field(None, min_length=1, max_length=36)
    certificate: CertificateHashIn | None = None
    request_id: int | None = RequestId

    @model_validator(mode="after")
    def _names_a_customer(self) -> "CustomerInformationIn":
        named = [self.customer_identifier, self.id_tag, self.certificate]
        if sum(item is not None for item in named) != 1:
            raise ValueError("name the customer by one of customer_identifier, id_tag, certificate")
        return self


class SetDisplayMessageIn(Input):
    id: int = Field(ge=0)
    priority: dm.MessagePriority = dm.MessagePriority.NORMAL_CYCLE
    message: str = Field(min_length=1, max_length=512)
    format: dm.MessageFormat = dm.MessageFormat.UTF8
    language: str | None = Field(None, max_length=8)
    state: dm.MessageState | None = None
    start_at: datetime | None = None
    end_at: datetime | None = None
    evse_id: int | None = Field(None, ge=0, description="Absent: the station's display(s).")
    transaction_id: int | None = Field(None, description="Show only during this transaction.")


class GetDisplayMessagesIn(Input):
    ids: list[int] = Field(default_factory=list)
    priority: dm.MessagePriority | None = None
    state: dm.MessageState | None = None
    request_id: int | None = RequestId


class ClearDisplayMessageIn(Input):
    id: int


class InstallCertificateIn(Input):
    certificate_type: dm.InstallCertificateUse
    certificate: str = Field(min_length=1, max_length=5500, description="PEM.")


class GetInstalledCertificateIdsIn(Input):
    certificate_types: list[dm.CertificateIdUse] = Field(default_factory=list)


class GetLogIn(Input):
    location: str = Field(min_length=1, max_length=512)
    log_type: dm.LogType = dm.LogType.DIAGNOSTICS
    start: datetime | None = None
    stop: datetime | None = None
    retries: int | None = Field(None, ge=0)
    retry_interval_s: int | None = Field(None, ge=0)
    request_id: int | None = RequestId


class SignedUpdateFirmwareIn(Input):
    location: str = Field(min_length=1, max_length=512)
    signing_certificate: str = Field(min_length=1, max_length=5500, description="PEM.")
    signature: str = Field(min_length=1, max_length=800, description="Base64.")
    retrieve_at: datetime | None = Field(None, description="Absent: now.")
    install_at: datetime | None = None
    retries: int | None = Field(None, ge=0)
    retry_interval_s: int | None = Field(None, ge=0)
    request_id: int | None = RequestId


class GetChargingProfilesIn(Input):
    evse_id: int | None = Field(None, ge=0)
    purpose: ReportedPurpose | None = None
    stack_level: int | None = Field(None, ge=0)
    ids: list[int] = Field(default_factory=list)
    request_id: int | None = RequestId
