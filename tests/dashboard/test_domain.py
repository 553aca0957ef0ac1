"""Where locations are drawn, how meter values become the plot's series, and how circuits'
figures add up."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from chargeyard.dashboard.domain import (
    ENERGY,
    POWER,
    CircuitFigures,
    Reading,
    map_points,
    roll_up,
    series,
)

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def test_locations_fill_the_drawing_north_up() -> None:
    points = map_points(
        [
            ("north-west", Decimal("53.0"), Decimal("4.0"), 2),
            ("south-east", Decimal("51.0"), Decimal("6.0"), 1),
        ]
    )
    assert [(p.name, p.x, p.y, p.stations) for p in points] == [
        ("north-west", 5.0, 8.0, 2),
        ("south-east", 75.0, 92.0, 1),
    ]


def test_one_location_sits_in_the_middle() -> None:
    (point,) = map_points([("only", Decimal("52.1"), Decimal("5.1"), 3)])
    assert (point.x, point.y) == (40.0, 50.0)
    assert map_points([]) == []


def test_series_align_power_and_the_sessions_energy_on_one_time_axis() -> None:
    readings = [
        Reading(T0, POWER, 7200, "W"),
        Reading(T0, ENERGY, 11_000, "Wh"),
        Reading(T0 + timedelta(seconds=60), ENERGY, 11.12, "kWh"),
        Reading(T0 + timedelta(seconds=90), "SoC", 55, "Percent"),
    ]
    assert series(readings, meter_start_wh=10_000) == {
        "time": [T0.timestamp(), T0.timestamp() + 60],
        "power_kw": [7.2, None],
        "energy_kwh": [1.0, 1.12],
    }


def test_figures_add_up_the_circuits_below() -> None:
    parents = {"site": None, "hall": "site", "bay": "hall", "other": None}
    direct = {"bay": CircuitFigures(2, 1, 7000.0), "hall": CircuitFigures(1, 1, 3000.0)}
    total = roll_up(parents, direct)
    assert total["site"] == CircuitFigures(3, 2, 10000.0)
    assert total["hall"] == CircuitFigures(3, 2, 10000.0)
    assert total["bay"] == CircuitFigures(2, 1, 7000.0)
    assert total["other"] == CircuitFigures()
    assert roll_up({"a": "b", "b": "a"}, {"a": CircuitFigures(1)})["b"] == CircuitFigures(1)
