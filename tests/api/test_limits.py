"""No input breaks the API: every integer, string and list it takes is bounded (the OpenAPI
document says so and the server holds to it), station ids are what OCPP can use, bodies have a
size limit, and each refusal is a 4xx problem document on a connection that stays open."""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import quote

import pytest
from pydantic import Field, TypeAdapter, ValidationError

from chargeyard.api.limits import (
    DECIMAL_MAX,
    INT_MAX,
    INT_MIN,
    LIST_MAX_ITEMS,
    NAME_MAX_LENGTH,
    STRING_MAX_LENGTH,
    Moment,
)
from chargeyard.api.schemas import Input
from tests.api.test_errors import problem
from tests.conftest import Tenant
from tests.support.http import http_client
from tests.support.ocpp_client import PASSWORD

HUGE = 2**63  # one past SQLite's integer: OverflowError, then a 500, before the bounds


def _unbounded(
    schema: dict[str, Any], components: dict[str, Any], seen: frozenset[str]
) -> list[str]:
    """Where `schema` takes an integer, a number, a string or a list without bounds."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return [] if name in seen else _unbounded(components[name], components, seen | {name})
    found: list[str] = []
    alternatives = schema.get("anyOf", []) + schema.get("oneOf", []) + schema.get("allOf", [])
    is_decimal = any(a.get("type") == "number" for a in alternatives)
    for alternative in alternatives:
        if is_decimal and alternative.get("type") == "string":
            continue  # a Decimal's string form: its value is bounded by the number's bounds
        found += _unbounded(alternative, components, seen)
    kind = schema.get("type")
    if kind in ("integer", "number"):
        low = "minimum" in schema or "exclusiveMinimum" in schema
        high = "maximum" in schema or "exclusiveMaximum" in schema
        if not (low and high):
            found.append(kind)
    if kind == "string" and not (
        {"maxLength", "enum", "const", "pattern"} & schema.keys()
        or schema.get("format") in ("date-time", "date", "time", "uuid", "email", "duration")
    ):
        found.append("string")
    if kind == "array":
        if "maxItems" not in schema:
            found.append("array")
        found += [f"[]{w}" for w in _unbounded(schema.get("items", {}), components, seen)]
    for name, prop in schema.get("properties", {}).items():
        found += [f".{name} {w}" for w in _unbounded(prop, components, seen)]
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict) and extra:
        found.append("mapping")
    return found


async def test_every_input_is_bounded_in_the_openapi_document(tenant: Tenant) -> None:
    async with http_client(base_url=tenant.server.base_url) as client:
        spec = (await client.get("/openapi.json")).json()
    components = spec["components"]["schemas"]
    unbounded = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                for where in _unbounded(parameter["schema"], components, frozenset()):
                    if not where.endswith("string"):  # a string filter compares; NUL is refused
                        unbounded.append(f"{method} {path} {parameter['name']}: {where}")
            for content in operation.get("requestBody", {}).get("content", {}).values():
                for where in _unbounded(content["schema"], components, frozenset()):
                    unbounded.append(f"{method} {path} body{where}")
    assert unbounded == []


def test_a_body_schema_gets_the_default_bounds_unless_it_states_its_own() -> None:
    class Sample(Input):
        count: int
        maybe: int | None = None
        positive: int = Field(1, ge=1)
        text: str = ""
        own: Annotated[str, Field(max_length=5_000)] = ""
        items: list[int] = Field(default_factory=list)
        price: Decimal = Decimal(0)
        ratio: float = 0.0

    Sample(count=INT_MAX, maybe=INT_MIN, own="x" * 5_000, items=[1] * LIST_MAX_ITEMS)
    for bad in (
        {"count": INT_MAX + 1},
        {"count": 1, "maybe": INT_MIN - 1},
        {"count": 1, "positive": 0},
        {"count": 1, "positive": INT_MAX + 1},
        {"count": 1, "text": "x" * (STRING_MAX_LENGTH + 1)},
        {"count": 1, "text": "a\x00b"},
        {"count": 1, "own": "a\x00b"},
        {"count": 1, "own": "x" * 5_001},
        {"count": 1, "items": [1] * (LIST_MAX_ITEMS + 1)},
        {"count": 1, "items": [HUGE]},
        {"count": 1, "price": DECIMAL_MAX + 1},
        {"count": 1, "ratio": float("nan")},
        {"count": 1, "ratio": float("inf")},
    ):
        with pytest.raises(ValidationError):
            Sample.model_validate(bad)


@pytest.mark.parametrize(
    "path",
    [
        f"/stations?offset={HUGE}",
        f"/stations?limit={HUGE}",
        f"/transactions/{HUGE}",
        f"/meter-values?transaction_id={HUGE}",
        f"/reservations/{HUGE}",
        f"/settlements/{HUGE}",
        f"/events?transaction_id={HUGE}",
        f"/smart-charging/allocations?transaction_id={HUGE}",
        f"/transactions/{-HUGE}",
    ],
)
async def test_an_integer_out_of_range_is_422_and_the_connection_stays(
    path: str, tenant: Tenant
) -> None:
    # The station list checks its query strictly (docs/estate.md): a malformed filter is 400.
    problem(await tenant.api.get(path), 400 if path.startswith("/stations?") else 422)
    assert (await tenant.api.get("/stations")).status_code == 200


async def test_an_evse_id_out_of_range_in_a_body_is_422(tenant: Tenant) -> None:
    station = tenant.unique("CP")
    await tenant.api.post("/stations", json={"id": station, "password": PASSWORD})
    answer = await tenant.api.post(
        f"/stations/{station}/power-limit", json={"limit": 11, "evse_id": HUGE}
    )
    assert "evse_id" in problem(answer, 422)["detail"]


@pytest.mark.parametrize(
    "station_id",
    ["💩", "a:b", ".", "..", "a b", "%2F", "a/b", "a\x00b", "a\nb", "é", "x" * 49, ""],
)
async def test_a_station_id_ocpp_cannot_use_is_refused(station_id: str, tenant: Tenant) -> None:
    answer = await tenant.api.post("/stations", json={"id": station_id, "password": PASSWORD})
    problem(answer, 422)
    assert (await tenant.api.get("/stations")).json()["total"] == 0


@pytest.mark.parametrize(
    "station_id", ["CP-1", "...", ".hidden", "a.b", "x" * 48, "A~!$&'()*+,;=@"]
)
async def test_every_id_ocpp_allows_is_accepted_and_read_back(
    station_id: str, tenant: Tenant
) -> None:
    created = await tenant.api.post("/stations", json={"id": station_id, "password": PASSWORD})
    assert created.status_code == 201, created.text
    answer = await tenant.api.get(f"/stations/{station_id}")
    assert answer.status_code == 200 and answer.json()["id"] == station_id
    assert answer.headers["etag"]


@pytest.mark.parametrize("raw", ["%F0%9F%92%A9", "a%3Ab", "a%2Fb", "%2E%2E", "a%20b", "a%0Ab"])
async def test_looking_up_an_invalid_station_id_is_a_problem(raw: str, tenant: Tenant) -> None:
    answer = await tenant.api.get(f"/stations/{raw}")
    assert answer.status_code in (404, 422), answer.text
    assert answer.headers["content-type"] == "application/problem+json"


async def test_a_nul_in_the_path_or_query_is_400(tenant: Tenant) -> None:
    problem(await tenant.api.get("/stations/a%00b"), 400)
    problem(await tenant.api.get("/stations?location_id=%00"), 400)
    assert (await tenant.api.get("/stations")).status_code == 200


async def test_a_vehicle_name_cannot_be_patched_to_null(tenant: Tenant) -> None:
    created = await tenant.api.post("/vehicles", json={"name": "Van", "battery_kwh": 60})
    assert created.status_code == 201, created.text
    answer = await tenant.api.patch(f"/vehicles/{created.json()['id']}", json={"name": None})
    assert "name" in problem(answer, 422)["detail"]


async def test_a_body_over_the_limit_is_413(tenant: Tenant) -> None:
    big = {"id": tenant.unique("CP"), "name": "x" * 1_100_000}
    problem(await tenant.api.post("/stations", json=big), 413)

    async def chunks() -> Any:  # no Content-Length: counted as it streams
        yield b'{"id": "CP-chunked", "name": "'
        for _ in range(20):
            yield b"x" * 65_536
        yield b'"}'

    answer = await tenant.api.post(
        "/stations", content=chunks(), headers={"content-type": "application/json"}
    )
    problem(answer, 413)
    assert (await tenant.api.get("/stations")).json()["total"] == 0


async def test_strings_and_lists_have_length_limits(tenant: Tenant) -> None:
    long_name = {"id": tenant.unique("CP"), "name": "x" * (NAME_MAX_LENGTH + 1)}
    problem(await tenant.api.post("/stations", json=long_name), 422)
    price = {
        "starts_at": "2030-01-01T00:00:00Z",
        "ends_at": "2030-01-01T01:00:00Z",
        "price_per_kwh": "0.30",
    }
    problem(await tenant.api.post("/energy-prices", json=[price] * (LIST_MAX_ITEMS + 1)), 422)
    huge_price = {**price, "price_per_kwh": "1e400"}
    problem(await tenant.api.post("/energy-prices", json=[huge_price]), 422)


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b'{"id": ', "application/json"),
        (b'{"id": "CP-nan", "security_profile": NaN}', "application/json"),
        (b"id=CP-form", "application/x-www-form-urlencoded"),
        (b"just text", "text/plain"),
        (b"\xff\xfe\x00", "application/json"),
        (b"[" * 100_000, "application/json"),
    ],
)
async def test_a_body_that_is_not_json_is_a_4xx_problem(
    content: bytes, content_type: str, tenant: Tenant
) -> None:
    answer = await tenant.api.post(
        "/stations", content=content, headers={"content-type": content_type}
    )
    assert 400 <= answer.status_code < 500, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert (await tenant.api.get("/stations")).status_code == 200


@pytest.mark.parametrize(
    "escaped", [r"\ud800", r"x\udfff", r"\udc00\ud800", r"\ud83d x", r"\\\ud800"]
)
async def test_half_a_surrogate_pair_in_a_json_string_is_422(escaped: str, tenant: Tenant) -> None:
    # Parsed, it is a Python string no driver, header or JSON answer can encode: a tag group
    # stored with one could never be listed again.
    body = f'{{"name": "{escaped}"}}'.encode()
    answer = await tenant.api.post(
        "/tag-groups", content=body, headers={"content-type": "application/json"}
    )
    assert "surrogate" in problem(answer, 422)["detail"]
    listed = await tenant.api.get("/tag-groups")
    assert listed.status_code == 200 and listed.json()["total"] == 0


@pytest.mark.parametrize(
    ("escaped", "name"),
    [(r"\ud83d\udca9", "\U0001f4a9"), (r"\\ud800", "\\ud800"), ("ok", "ok")],
)
async def test_a_surrogate_pair_or_an_escaped_backslash_is_ordinary_text(
    escaped: str, name: str, tenant: Tenant
) -> None:
    body = f'{{"name": "{escaped}"}}'.encode()
    answer = await tenant.api.post(
        "/tag-groups", content=body, headers={"content-type": "application/json; charset=utf-8"}
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["name"] == name


INSTANTS_OUT_OF_RANGE = [
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59Z",
    "1000-01-01T00:00:00Z",
]


@pytest.mark.parametrize("instant", INSTANTS_OUT_OF_RANGE)
@pytest.mark.parametrize(
    "path",
    [
        "/stations?updated_since={}",
        "/stations?status_changed_since={}",
        "/reports/uptime.csv?start={}",
        "/kpis/uptime?end={}",
        "/maintenance-windows?active_at={}",
        "/events?since={}",
        "/transactions?started_since={}",
    ],
)
async def test_an_instant_out_of_range_in_a_query_is_a_4xx_problem(
    path: str, instant: str, tenant: Tenant
) -> None:
    """0001-01-01T00:00+14:00 has no UTC value and a week after 9999-12-31 none at all: both
    were 500s (and the connection then hung while the traceback was logged)."""
    answer = await tenant.api.get(path.format(quote(instant)))
    problem(answer, 400 if path.startswith("/stations?") else 422)
    assert (await tenant.api.get("/stations")).status_code == 200


@pytest.mark.parametrize("instant", INSTANTS_OUT_OF_RANGE)
async def test_an_instant_out_of_range_in_a_body_is_422(instant: str, tenant: Tenant) -> None:
    station = tenant.unique("CP")
    await tenant.api.post("/stations", json={"id": station, "password": PASSWORD})
    window = {"station_id": station, "starts_at": instant, "ends_at": "2030-01-01T00:00:00Z"}
    answer = await tenant.api.post("/maintenance-windows", json=window)
    assert "starts_at" in problem(answer, 422)["detail"]


async def test_a_naive_instant_in_a_body_is_utc(tenant: Tenant) -> None:
    """A naive expires_at was compared with the aware clock: TypeError, a 500."""
    station = tenant.unique("CP")
    await tenant.api.post("/stations", json={"id": station, "password": PASSWORD})
    reserve = {"evse_id": 1, "id_tag": "TAG", "expires_at": "2000-01-01T00:00:00"}
    answer = await tenant.api.post(f"/stations/{station}/commands/reserve-now", json=reserve)
    assert "expires_at" in problem(answer, 422)["detail"]


def test_an_offsets_plus_decoded_as_a_space_is_read_as_the_plus() -> None:
    """`?start=2026-03-29T00:00:00+02:00` typed into a URL arrives with a space for the `+`."""
    moment = TypeAdapter(Moment)
    expected = datetime(2026, 3, 29, tzinfo=timezone(timedelta(hours=2)))
    for written in ("2026-03-29T00:00:00 02:00", "2026-03-29T00:00:00.000 0200"):
        assert moment.validate_python(written) == expected
    assert moment.validate_python("2026-03-29 00:00:00") == datetime(2026, 3, 29, tzinfo=UTC)
    with pytest.raises(ValidationError):
        moment.validate_python("2026-03-29T00:00:00 02:00 extra")
