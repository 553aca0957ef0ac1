"""Sealed secrets open only under the server key they were sealed with, for the row they
belong to; values from before sealing pass through."""

import pytest

from chargeyard.security.sealing import Sealer, SealError, is_sealed

KEY = b"0123456789abcdef0123456789abcdef"


def test_a_sealed_secret_opens_for_its_row_only() -> None:
    sealer = Sealer(KEY)
    sealed = sealer.seal("whsec_abc", "row-1")
    assert is_sealed(sealed) and "whsec_abc" not in sealed
    assert sealer.seal("whsec_abc", "row-1") != sealed  # a fresh nonce each time
    assert sealer.open(sealed, "row-1") == "whsec_abc"
    with pytest.raises(SealError):
        sealer.open(sealed, "row-2")
    with pytest.raises(SealError):
        Sealer(b"another-key-another-key-another!").open(sealed, "row-1")


def test_a_clear_value_from_before_sealing_passes_through() -> None:
    assert Sealer(KEY).open("whsec_old", "row-1") == "whsec_old"
