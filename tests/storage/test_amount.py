"""Money columns store exact millionths on every database."""

from decimal import Decimal

import pytest

from chargeyard.storage.amount import from_micros, to_micros


def test_amounts_round_trip_exactly() -> None:
    for text in ("0", "25.00", "-4.80", "0.000001", "123456789.123456"):
        assert from_micros(to_micros(Decimal(text))) == Decimal(text)


def test_more_than_six_decimals_are_refused() -> None:
    with pytest.raises(ValueError):
        to_micros(Decimal("0.0000001"))
