"""Forms as the dashboard's pages send them (urlencoded), checked by the REST API's own body
models, so a form and a JSON body obey the same rules."""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from fastapi import Request
from pydantic import BaseModel, ValidationError

from chargeyard.errors import Invalid

MAX_FORM_BYTES = 16_384
M = TypeVar("M", bound=BaseModel)


async def form_fields(request: Request, limit: int = MAX_FORM_BYTES) -> dict[str, str]:
    """An urlencoded form body, bounded in size (`limit`: an import form's is the REST API's
    body limit)."""
    body = await request.body()
    if len(body) > limit:
        raise Invalid(f"a form holds at most {limit} bytes")
    try:
        return dict(parse_qsl(body.decode(), keep_blank_values=True))
    except UnicodeDecodeError:
        raise Invalid("the form is not UTF-8") from None


async def form_values(request: Request, name: str) -> list[str]:
    """Every value of a field a form sends more than once (checkboxes sharing a name), which
    `form_fields` keeps one of. Read after `form_fields`, so the body is already bounded."""
    body = await request.body()
    try:
        return [value for key, value in parse_qsl(body.decode()) if key == name and value]
    except UnicodeDecodeError:
        raise Invalid("the form is not UTF-8") from None


class FormInvalid(Invalid):
    """A form the body model refused (422), with each message under the dotted path of the
    field it is about (`evses.0.connectors.1.max_voltage`), so a page can show it beside that
    field; `detail` says them all, as the REST API's problem does."""

    def __init__(self, detail: str, fields: dict[str, str]) -> None:
        super().__init__(detail)
        self.fields = fields


def validated(model: type[M], fields: Mapping[str, object]) -> M:
    """The REST body `model` from a form: empty fields are left out (the model's defaults
    apply) and so is the CSRF token; a broken rule is 422, as in the REST API."""
    given: dict[str, Any] = {k: v for k, v in fields.items() if k != "csrf_token" and v != ""}
    try:
        return model.model_validate(given)
    except ValidationError as error:
        said = [(".".join(map(str, e["loc"])), str(e["msg"])) for e in error.errors()]
        where: dict[str, str] = {}
        for path, message in said:
            where[path] = f"{where[path]}; {message}" if path in where else message
        detail = "; ".join(f"{path}: {message}" for path, message in said)
        raise FormInvalid(detail, where) from None


def listed(text: str) -> list[str]:
    """Values typed into one field as a list (ID tags, station ids...), separated by commas,
    spaces or lines."""
    return text.replace(",", " ").split()


def utc_instant(value: str) -> str:
    """A form's time: the script sends the browser's local time as an ISO 8601 instant; a form
    sent without the script holds a bare `datetime-local` value, read as UTC (the forms say
    so). Anything else is left for the body model to refuse."""
    if not value:
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def utc_input(value: str) -> str:
    """A time a refused form sent (an instant, or a bare `datetime-local` value read as UTC)
    as a `datetime-local` control's value in UTC, which the script shows again in the
    browser's time (`data-instant`); text that is no time is kept as typed."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M")
