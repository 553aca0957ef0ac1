"""Site-tree rules without a database."""

from chargeyard.locations.domain import SiteRow, build_tree, creates_cycle, is_timezone


def test_a_location_cannot_hang_under_itself() -> None:
    assert creates_cycle("a", "a", ["a"])


def test_a_location_cannot_hang_under_its_descendant() -> None:
    # c's lineage is c -> b -> a: hanging a under c closes a loop.
    assert creates_cycle("a", "c", ["c", "b", "a"])


def test_a_location_may_hang_under_an_unrelated_branch() -> None:
    assert not creates_cycle("a", "x", ["x", "root"])


def test_time_zones_are_iana_names() -> None:
    assert is_timezone("Europe/Berlin")
    assert is_timezone("UTC")
    assert not is_timezone("Mars/Olympus_Mons")
    assert not is_timezone("../etc/passwd")


def test_build_tree_nests_children_and_stations_in_stable_order() -> None:
    rows = [
        SiteRow("root", "up", "Root"),
        SiteRow("b", "root", "B hall"),
        SiteRow("a", "root", "A hall"),
        SiteRow("a1", "a", "A1 bay"),
    ]
    stations = [("CP2", "a"), ("CP1", "a"), ("CP9", "a1"), ("CPX", "elsewhere")]
    tree = build_tree("root", rows, stations)
    assert tree.parent_id == "up"
    assert [child.id for child in tree.children] == ["a", "b"]
    hall_a = tree.children[0]
    assert hall_a.station_ids == ["CP1", "CP2"]
    assert [(n.id, n.station_ids) for n in hall_a.children] == [("a1", ["CP9"])]
    assert tree.station_ids == []
    assert tree.children[1].children == []
