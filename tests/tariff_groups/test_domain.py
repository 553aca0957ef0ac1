"""Which tariff group's tariff a session gets: the most specific place wins."""

import pytest

from chargeyard.errors import Invalid
from chargeyard.tariff_groups.domain import Applying, Place, PlaceKind, check_places, group_tariff

CHAIN = ["site", "region"]  # the station's location, then its parent


def at(name: str, *, station: str | None = None, location: str | None = None) -> Applying:
    return Applying(f"id-{name}", name, f"tariff-{name}", station, location)


def test_no_group_applying_chooses_nothing() -> None:
    assert group_tariff([], "S1", CHAIN) is None
    assert group_tariff([at("x", station="S2"), at("y", location="elsewhere")], "S1", CHAIN) is None


def test_the_most_specific_place_wins() -> None:
    org, region, site = at("org"), at("region", location="region"), at("site", location="site")
    station = at("station", station="S1")
    assert group_tariff([org, region, site, station], "S1", CHAIN) == "tariff-station"
    assert group_tariff([org, region, site], "S1", CHAIN) == "tariff-site"
    assert group_tariff([org, region], "S1", CHAIN) == "tariff-region"
    assert group_tariff([org], "S1", CHAIN) == "tariff-org"


def test_a_tie_goes_to_the_first_group_by_name_whatever_the_order() -> None:
    staff, fleet = at("staff", location="site"), at("fleet", location="site")
    assert group_tariff([staff, fleet], "S1", CHAIN) == "tariff-fleet"
    assert group_tariff([fleet, staff], "S1", CHAIN) == "tariff-fleet"


def test_places_are_checked_and_kept_once() -> None:
    places = [
        Place(PlaceKind.STATION, "S1"),
        Place(PlaceKind.ORGANIZATION),
        Place(PlaceKind.STATION, "S1"),
    ]
    assert check_places(places) == [Place(PlaceKind.ORGANIZATION), Place(PlaceKind.STATION, "S1")]
    with pytest.raises(Invalid):
        check_places([Place(PlaceKind.STATION)])
    with pytest.raises(Invalid):
        check_places([Place(PlaceKind.ORGANIZATION, "S1")])
