"""One rule for what a station secret is, whatever shape it arrives in."""

from chargeyard.message_log.masking import mask_secrets
from chargeyard.security.station_secrets import MASK, masked


def test_a_16_configuration_entry_is_masked_by_its_key() -> None:
    assert masked({"key": "AuthorizationKey", "value": "s3cret"}) == {
        "key": "AuthorizationKey",
        "value": MASK,
    }
    listing = {"configurationKey": [{"key": "AuthorizationKey", "readonly": False, "value": "x"}]}
    assert masked(listing)["configurationKey"][0]["value"] == MASK
    other = {"key": "HeartbeatInterval", "value": "60"}
    assert masked(other) == other


def test_a_2x_variable_is_masked_in_wire_and_rest_shapes() -> None:
    wire = {
        "setVariableData": [
            {
                "component": {"name": "SecurityCtrlr"},
                "variable": {"name": "BasicAuthPassword"},
                "attributeValue": "s3cret",
            }
        ]
    }
    assert masked(wire)["setVariableData"][0]["attributeValue"] == MASK
    rest = {
        "variables": [{"component": "SecurityCtrlr", "variable": "BasicAuthPassword", "value": "s"}]
    }
    assert masked(rest)["variables"][0]["value"] == MASK
    report = {
        "reportData": [
            {
                "component": {"name": "SecurityCtrlr"},
                "variable": {"name": "BasicAuthPassword"},
                "variableAttribute": [{"type": "Actual", "value": "s3cret"}],
            }
        ]
    }
    assert masked(report)["reportData"][0]["variableAttribute"][0]["value"] == MASK


def test_network_profile_secrets_are_masked() -> None:
    profile = {
        "connectionData": {
            "basicAuthPassword": "a",
            "apn": {"apn": "internet", "apnPassword": "b", "simPin": 1234},
            "vpn": {"server": "vpn", "user": "u", "password": "c", "key": "d"},
        }
    }
    data = masked(profile)["connectionData"]
    assert data["basicAuthPassword"] == MASK
    assert data["apn"] == {"apn": "internet", "apnPassword": MASK, "simPin": 1234}
    assert data["vpn"] == {"server": "vpn", "user": "u", "password": MASK, "key": MASK}


def test_the_input_is_not_changed() -> None:
    original = {"key": "AuthorizationKey", "value": "s3cret"}
    masked(original)
    assert original["value"] == "s3cret"


def test_the_message_log_uses_the_same_rule() -> None:
    frame = '[2,"1","SetNetworkProfile",{"connectionData":{"basicAuthPassword":"pw"}}]'
    assert '"pw"' not in mask_secrets(frame) and MASK in mask_secrets(frame)
