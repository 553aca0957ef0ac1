"""Tariff rules: validation, the least a session can cost, which tariff applies."""

from decimal import Decimal
from fractions import Fraction

import pytest

from chargeyard.errors import Invalid
from chargeyard.tariffs.domain import (
    Placement,
    check,
    from_json,
    session_minimum,
    tariff_for,
    to_json,
)
from tests.costing.factories import component, element, hhmm, tariff


def test_the_session_minimum_is_the_higher_of_min_price_and_an_unconditional_flat_fee() -> None:
    flat = tariff(
        element(component("FLAT", "2.00"), component("ENERGY", "0.30")), tax_rate=Decimal(20)
    )
    assert session_minimum(flat) == Fraction(12, 5)  # 2.00 + 20 %
    assert session_minimum(tariff(element(component("ENERGY", "0.30")))) == 0
    floor = tariff(element(component("ENERGY", "0.30")), min_price=Decimal(5), tax_rate=Decimal(10))
    assert session_minimum(floor) == Fraction(11, 2)
    conditional = tariff(element(component("FLAT", "9.00"), start_time=hhmm("08:00")))
    assert session_minimum(conditional) == 0  # a restriction can switch the fee off


def test_the_most_specific_tariff_applies() -> None:
    assert tariff_for(Placement("station", ["site", "region"], "default")) == "station"
    assert tariff_for(Placement(None, [None, "region"], "default")) == "region"
    assert tariff_for(Placement(None, [], "default")) == "default"
    assert tariff_for(Placement()) is None
    everywhere = Placement("station", ["site"], "default", evse_tariff="evse")
    assert tariff_for(everywhere) == "evse"
    assert tariff_for(Placement(None, [], "default", evse_tariff="evse")) == "evse"


def test_a_tariff_group_comes_before_every_assignment() -> None:
    placement = Placement("station", ["site"], "default", evse_tariff="evse", group_tariff="staff")
    assert tariff_for(placement) == "staff"


@pytest.mark.parametrize(
    "broken",
    [
        tariff(),
        tariff(element(component("ENERGY", "0.30")), tax_rate=Decimal(-1)),
        tariff(element(component("ENERGY", "0.30"), min_duration=600, max_duration=60)),
        tariff(element(component("ENERGY", "0.30"), min_power=Decimal(22), max_power=Decimal(11))),
    ],
)
def test_broken_tariffs_are_invalid(broken: object) -> None:
    with pytest.raises(Invalid):
        check(broken)  # type: ignore[arg-type]


def test_the_stored_form_reads_back_the_same() -> None:
    original = tariff(
        element(
            component("ENERGY", "0.30", 100, vat="7"),
            start_time=hhmm("22:00"),
            end_time=hhmm("06:00"),
        ),
        element(component("TIME", "1.20", 60)),
        tax_rate=Decimal(19),
        max_price=Decimal(30),
    )
    assert from_json(to_json(original)) == original
