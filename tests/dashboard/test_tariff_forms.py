"""The tariff form's price lines, to and from OCPI elements."""

from chargeyard.dashboard.tariff_forms import (
    MAX_LINES,
    PriceLine,
    elements_of,
    form_lines,
    lines_of,
    tariff_body,
)


def test_lines_round_trip_a_simple_tariff() -> None:
    definition = {
        "currency": "EUR",
        "elements": [
            {
                "price_components": [
                    {"type": "ENERGY", "price": "0.25", "step_size": 1, "vat": None}
                ],
                "restrictions": {"start_time": "22:00", "end_time": "06:00", "day_of_week": []},
            },
            {"price_components": [{"type": "ENERGY", "price": "0.39", "step_size": 1}]},
        ],
    }
    lines = lines_of(definition)
    assert lines == [
        PriceLine("ENERGY", "0.25", "1", "", "22:00", "06:00"),
        PriceLine("ENERGY", "0.39", "1", "", "", ""),
    ]
    form = {
        f"line-{i}-{name}": getattr(line, name)
        for i, line in enumerate(form_lines(lines))
        for name in PriceLine.__annotations__
    }
    assert elements_of(form) == [
        {
            "price_components": [{"type": "ENERGY", "price": "0.25", "step_size": "1"}],
            "restrictions": {"start_time": "22:00", "end_time": "06:00"},
        },
        {"price_components": [{"type": "ENERGY", "price": "0.39", "step_size": "1"}]},
    ]


def test_a_tariff_the_lines_cannot_express_has_none() -> None:
    two = {"price_components": [{"type": "ENERGY", "price": "1"}, {"type": "FLAT", "price": "1"}]}
    weekday = {
        "price_components": [{"type": "ENERGY", "price": "1"}],
        "restrictions": {"day_of_week": ["MONDAY"]},
    }
    assert lines_of({"elements": [two]}) is None
    assert lines_of({"elements": [weekday]}) is None
    assert len(form_lines([PriceLine()] * MAX_LINES)) == MAX_LINES


def test_the_body_leaves_empty_fields_out_and_clears_the_optional_prices() -> None:
    form = {
        "name": "Night",
        "description": "",
        "is_default": "true",
        "currency": "EUR",
        "tax_rate": "",
        "prices_include_tax": "false",
        "min_price": "0.5",
        "max_price": "",
        "line-0-type": "FLAT",
        "line-0-price": "1",
    }
    body = tariff_body(form, with_lines=False)
    assert body == {
        "name": "Night",
        "is_default": True,
        "currency": "EUR",
        "prices_include_tax": False,
        "min_price": "0.5",
        "tax_rate": None,
        "max_price": None,
    }
    assert tariff_body(form, with_lines=True)["elements"] == [
        {"price_components": [{"type": "FLAT", "price": "1"}]}
    ]
