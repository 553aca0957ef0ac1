"""The OCPP engine's parts on their own: frames, compiled schemas, key conversion, routes,
the correlator and the one mapping of domain errors to CALLERROR codes."""

import asyncio
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ocpp.charge_point import (
    camel_to_snake_case,
    remove_nones,
    serialize_as_dict,
    snake_to_camel_case,
)
from ocpp.messages import get_validator
from ocpp.v16 import call as v16_call
from ocpp.v201 import call_result as v201_result
from ocpp.v201 import datatypes as v201_types

from chargeyard.errors import Conflict, Invalid, NotFound, StationTimeout
from chargeyard.protocol import schemas
from chargeyard.protocol.correlator import Correlator
from chargeyard.protocol.frames import (
    Call,
    CallError,
    CallResult,
    CallResultError,
    FrameError,
    Send,
    encode_error,
    encode_result,
    parse_frame,
)
from chargeyard.protocol.router import on, routes
from chargeyard.protocol.rpc_errors import Kind, RpcError, from_domain_error
from chargeyard.protocol.wire import from_wire, to_wire

# frames


def test_json_nested_10000_deep_is_a_format_error_not_a_crash() -> None:
    deep = '[2, "1", "Heartbeat", ' + "[" * 10_000 + "]" * 10_000 + "]"
    with pytest.raises(FrameError) as raised:
        parse_frame(deep, "1.6")
    assert raised.value.kind is Kind.FORMAT


def test_a_lone_surrogate_is_refused_before_any_database_sees_it() -> None:
    with pytest.raises(FrameError):
        parse_frame('[2, "1", "Authorize", {"idTag": "\\ud800"}]', "1.6")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet=st.characters(max_codepoint=300)),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(alphabet=st.characters(max_codepoint=300)), inner, max_size=4)
    ),
    max_leaves=12,
)


def _holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


@given(
    payload=st.dictionaries(st.text(max_size=5), JSON_VALUES, max_size=4),
    as_bytes=st.booleans(),
    ascii_only=st.booleans(),
)
def test_a_call_that_may_hold_a_nul_is_always_flagged(
    payload: dict[str, object], as_bytes: bool, ascii_only: bool
) -> None:
    """The NUL check walks a payload only when the frame's text has the escape: whichever way
    the JSON is written, a NUL anywhere (key or value) is never missed."""
    text = json.dumps([2, "m", "DataTransfer", payload], ensure_ascii=ascii_only)
    call = parse_frame(text.encode() if as_bytes else text, "1.6")
    assert isinstance(call, Call)
    if _holds_nul(call.payload):
        assert call.may_hold_nul
    assert call.may_hold_nul == ("\\u0000" in text)


def test_only_a_frame_with_the_nul_escape_is_walked_for_nul() -> None:
    plain = parse_frame('[2, "a", "Authorize", {"idTag": "A1"}]', "1.6")
    escaped_key = parse_frame('[2, "a", "DataTransfer", {"v\\u0000": 1}]', "1.6")
    literal = parse_frame('[2, "a", "DataTransfer", {"data": "\\\\u0000"}]', "1.6")
    assert isinstance(plain, Call) and not plain.may_hold_nul
    assert isinstance(escaped_key, Call) and escaped_key.may_hold_nul
    # a backslash followed by "u0000" holds no NUL: walked for nothing, still refused nothing
    assert isinstance(literal, Call) and literal.may_hold_nul
    assert literal.payload == {"data": "\\u0000"}


def test_each_message_type_parses_to_its_own_shape() -> None:
    assert parse_frame('[2, "a", "Heartbeat", {}]', "1.6") == Call("a", "Heartbeat", {})
    assert parse_frame('[3, "a", {"x": 1}]', "2.0.1") == CallResult("a", {"x": 1})
    assert parse_frame('[4, "a", "GenericError", "d", {}]', "1.6") == CallError(
        "a", "GenericError", "d", {}
    )
    assert parse_frame('[6, "a", "NotifyPeriodicEventStream", {}]', "2.1") == Send(
        "a", "NotifyPeriodicEventStream", {}
    )
    assert isinstance(parse_frame('[5, "a", "GenericError", "d", {}]', "2.1"), CallResultError)


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
@pytest.mark.parametrize("message_type", [5, 6])
def test_only_2_1_knows_send_and_callresulterror(version: str, message_type: int) -> None:
    with pytest.raises(FrameError) as raised:
        parse_frame(f'[{message_type}, "a", "X", {{}}, {{}}]', version)
    assert raised.value.kind is Kind.MESSAGE_TYPE
    assert raised.value.unique_id == "a"


def test_frames_sent_are_plain_ocpp_j_with_text_kept_as_is() -> None:
    assert json.loads(encode_result("7", {"idTagInfo": {"status": "Accepted"}})) == [
        3,
        "7",
        {"idTagInfo": {"status": "Accepted"}},
    ]
    assert json.loads(encode_error("7", "GenericError", "straße ⚡")) == [
        4,
        "7",
        "GenericError",
        "straße ⚡",
        {},
    ]


# schemas


def _schema_files() -> list[tuple[str, int, str]]:
    found = []
    for version in ("1.6", "2.0.1", "2.1"):
        folder = os.path.join(schemas._SCHEMA_ROOT, "v" + version.replace(".", ""), "schemas")
        for name in sorted(os.listdir(folder)):
            stem = name.removesuffix(".json")
            if stem.endswith("Response"):
                found.append((version, schemas.CALLRESULT, stem.removesuffix("Response")))
            elif stem.endswith("Request"):
                found.append((version, schemas.CALL, stem.removesuffix("Request")))
            elif version == "1.6":
                found.append((version, schemas.CALL, stem))
            else:
                found.append((version, schemas.SEND, stem))
    return found


def test_every_schema_of_every_version_compiles() -> None:
    files = _schema_files()
    assert len(files) > 350
    for version, message_type, action in files:
        try:
            schemas.validate(version, message_type, action, {})
        except RpcError as error:
            assert error.kind is not Kind.NOT_IMPLEMENTED, (version, action)


def test_an_unknown_action_is_not_implemented() -> None:
    with pytest.raises(RpcError) as raised:
        schemas.validate("1.6", schemas.CALL, "NoSuchAction", {})
    assert raised.value.kind is Kind.NOT_IMPLEMENTED


_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["Charging", "Available", "NoError", "2026-12-03T10:00:00Z", "bad-date"]),
)
_payloads = st.dictionaries(
    st.sampled_from(
        ["connectorId", "errorCode", "status", "timestamp", "info", "vendorId", "extra"]
    ),
    _values,
)


@settings(
    max_examples=300, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(_payloads)
def test_compiled_checks_agree_with_the_library_reading(payload: dict[str, object]) -> None:
    """Whatever fastjsonschema accepts jsonschema accepts, and the reverse; refusals carry the
    code jsonschema's precise reading gives (what stations heard before)."""
    library = get_validator(schemas.CALL, "StatusNotification", "1.6")
    library_ok = library.is_valid(payload)
    try:
        schemas.validate("1.6", schemas.CALL, "StatusNotification", payload)
    except RpcError:
        assert not library_ok
    else:
        assert library_ok


def test_decimal_schedules_pass_as_the_library_passes_them() -> None:
    request = v16_call.SetChargingProfile(
        connector_id=1,
        cs_charging_profiles={
            "charging_profile_id": 1,
            "stack_level": 0,
            "charging_profile_purpose": "TxDefaultProfile",
            "charging_profile_kind": "Absolute",
            "charging_schedule": {
                "charging_rate_unit": "A",
                "charging_schedule_period": [{"start_period": 0, "limit": 21.4}],
            },
        },
    )
    schemas.validate("1.6", schemas.CALL, "SetChargingProfile", to_wire(request))


# wire


def test_results_go_out_exactly_as_the_library_would_send_them() -> None:
    result = v201_result.TransactionEvent(
        total_cost=1.5,
        charging_priority=None,
        id_token_info=v201_types.IdTokenInfoType(
            status="Accepted",
            group_id_token=v201_types.IdTokenType(id_token="G", type="Central"),
            evse_id=[1, 2],
        ),
    )
    library = snake_to_camel_case(remove_nones(serialize_as_dict(result)))
    assert to_wire(result) == library


@settings(
    max_examples=200, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    st.recursive(
        st.dictionaries(
            st.sampled_from(
                ["idTag", "meterValue", "sampledValue", "evseId", "ocppCSMSURL", "socLimit"]
            ),
            st.integers(),
        ),
        lambda inner: st.dictionaries(
            st.sampled_from(["chargingStation", "modem", "customData", "listOfThings"]),
            st.one_of(inner, st.lists(inner, max_size=3)),
        ),
        max_leaves=10,
    )
)
def test_received_keys_read_as_the_library_reads_them(payload: dict[str, object]) -> None:
    assert from_wire(payload) == camel_to_snake_case(payload)


# routes


class _Base:
    @on("Heartbeat")
    def beat(self) -> str:
        return "base"

    @on("Authorize")
    def authorize(self) -> str:
        return "base"


class _Refined(_Base):
    def beat(self) -> str:  # the same name, no tag: no longer a handler of Heartbeat
        return "refined"

    @on("Authorize")
    def authorize(self) -> str:
        return "refined"


def test_a_subclass_method_of_the_same_name_wins() -> None:
    table = routes(_Refined)
    assert table["Authorize"](_Refined()) == "refined"
    assert "Heartbeat" not in table
    assert routes(_Base)["Heartbeat"](_Base()) == "base"


# correlator


async def test_an_answer_reaches_the_caller_that_waits_for_it() -> None:
    correlator = Correlator("CP")
    sent: list[str] = []

    async def send() -> None:
        sent.append("x")
        asyncio.get_running_loop().call_soon(correlator.resolve, CallResult("1", {"a": 1}))

    answer = await correlator.exchange("1", send, 5)
    assert answer == CallResult("1", {"a": 1}) and sent == ["x"]


async def test_a_late_or_unknown_answer_is_dropped() -> None:
    correlator = Correlator("CP")

    async def silent() -> None:
        return None

    with pytest.raises(TimeoutError):
        await correlator.exchange("1", silent, 0.01)
    correlator.resolve(CallResult("1", {}))  # late: nobody waits, nothing raised
    correlator.resolve(CallError("99", "GenericError", "", {}))


async def test_a_closed_socket_fails_every_waiting_caller_at_once() -> None:
    correlator = Correlator("CP")
    sent = asyncio.Event()

    async def silent() -> None:
        sent.set()

    waiting = asyncio.create_task(correlator.exchange("1", silent, 30))
    await sent.wait()
    correlator.fail_all(ConnectionError("gone"))
    with pytest.raises(ConnectionError):
        await waiting


# domain errors


@pytest.mark.parametrize(
    ("error", "v16", "v201"),
    [
        (Invalid("x"), "PropertyConstraintViolation", "PropertyConstraintViolation"),
        (NotFound("x"), "PropertyConstraintViolation", "PropertyConstraintViolation"),
        (Conflict("x"), "GenericError", "GenericError"),
        (StationTimeout("x"), "InternalError", "InternalError"),
    ],
)
def test_domain_errors_reach_the_station_in_its_version_terms(
    error: Exception, v16: str, v201: str
) -> None:
    rpc = from_domain_error(error)  # type: ignore[arg-type]
    assert rpc.code("1.6") == v16
    assert rpc.code("2.0.1") == v201
