"""Alert notification request and response bodies."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, field_validator

from chargeyard.alert_notifications.domain import MAX_RECIPIENTS, Channel, RuleChannel
from chargeyard.api.schemas import Input, Resource

Address = Annotated[str, Field(min_length=3, max_length=254)]
Addresses = Annotated[list[Address], Field(max_length=MAX_RECIPIENTS)]


class RuleChannelOut(BaseModel):
    name: str
    email: bool
    recipients: list[str] | None
    webhook: bool

    @classmethod
    def of(cls, name: str, rule: RuleChannel) -> "RuleChannelOut":
        listed = None if rule.recipients is None else list(rule.recipients)
        return cls(name=name, email=rule.email, recipients=listed, webhook=rule.webhook)


class AlertNotificationsOut(BaseModel):
    """`available`: the server has an SMTP server configured (its settings are never shown)."""

    enabled: bool
    recipients: list[str]
    available: bool
    window_s: float
    rules: list[RuleChannelOut]

    @classmethod
    def of(
        cls, channel: Channel, rules: list[RuleChannelOut], available: bool, window_s: float
    ) -> "AlertNotificationsOut":
        return cls(
            enabled=channel.enabled,
            recipients=list(channel.recipients),
            available=available,
            window_s=window_s,
            rules=rules,
        )


class AlertMailChannelPatch(Input):
    """Only the fields sent change."""

    enabled: bool | None = None
    recipients: Addresses | None = None

    @field_validator("enabled", "recipients")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("may not be null")
        return value


class RuleChannelPatch(Input):
    """Only the fields sent change; `recipients` null: the organization's recipients again."""

    email: bool | None = None
    recipients: Addresses | None = None
    webhook: bool | None = None

    @field_validator("email", "webhook")
    @classmethod
    def _not_null(cls, value: bool | None) -> bool:
        if value is None:
            raise ValueError("true or false")
        return value


class AlertMailOut(Resource):
    id: str
    kind: str
    recipients: list[str]
    subject: str
    body: str
    html: str | None = Field(
        default=None, description="The same digest as HTML, mailed as the alternative to body."
    )
    alerts: int
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    sent_at: datetime | None
    created_at: datetime
