"""Standard Webhooks signing, checked against the specification's published test vector."""

import base64

from chargeyard.webhooks.signing import new_secret, secret_key, signature, signature_header

# From the Standard Webhooks reference implementations' tests.
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_BODY = b'{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_signature_matches_the_specification() -> None:
    assert signature(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY) == SPEC_SIGNATURE


def test_each_live_secret_signs() -> None:
    other = new_secret()
    header = signature_header([SPEC_SECRET, other], SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY)
    first, second = header.split(" ")
    assert first == SPEC_SIGNATURE
    assert second == signature(other, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY) != SPEC_SIGNATURE


def test_new_secrets_are_random_keys_with_the_prefix() -> None:
    one, two = new_secret(), new_secret()
    assert one.startswith("whsec_") and one != two
    assert len(secret_key(one)) == 32
    assert base64.b64encode(secret_key(one)).decode() == one.removeprefix("whsec_")
