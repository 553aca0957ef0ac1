"""Webhook request and response bodies. The secret appears only in `WebhookCreated`."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from chargeyard.api.schemas import Input, Resource, refuse_null

Url = Annotated[str, Field(min_length=1, max_length=2048)]
Patterns = Annotated[list[str], Field(min_length=1, max_length=100)]


class WebhookOut(Resource):
    id: str
    url: str
    events: list[str]
    description: str | None
    enabled: bool
    disabled_reason: str | None
    failing_since: datetime | None
    last_success_at: datetime | None
    created_at: datetime
    updated_at: datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(description="Shown only now: keep it to verify signatures.")


class SecretOut(Resource):
    secret: str
    previous_secret_expires_at: datetime | None


class WebhookCreate(Input):
    url: Url
    events: Patterns = Field(default_factory=lambda: ["*"])
    description: Annotated[str, Field(max_length=500)] | None = None
    enabled: bool = True


class WebhookPatch(Input):
    url: Url | None = None
    events: Patterns | None = None
    description: Annotated[str, Field(max_length=500)] | None = None
    enabled: bool | None = None

    _not_null = refuse_null("url", "events", "enabled")


class RedeliverIn(Input):
    event_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


class RedeliverOut(Resource):
    queued: int


class AttemptOut(Resource):
    id: int
    event_id: str
    event_type: str
    attempt: int
    attempted_at: datetime
    success: bool
    request_url: str
    request_headers: dict[str, Any]
    request_body: str
    response_status: int | None
    response_body: str | None
    latency_ms: float
    error: str | None
