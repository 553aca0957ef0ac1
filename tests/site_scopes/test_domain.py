"""Who is confined to sites, and how a site list is kept."""

from chargeyard.organizations.domain import Role
from chargeyard.site_scopes.domain import circuits_within, confining, stored
from chargeyard.site_scopes.scope import SiteScope, site_scope_of


def test_an_admin_is_never_confined() -> None:
    assert confining(Role.ADMIN, ["a"]) is None


def test_an_empty_or_absent_list_is_the_whole_organization() -> None:
    assert confining(Role.OPERATOR, []) is None
    assert confining(Role.VIEWER, None) is None
    assert stored([]) is None and stored(None) is None


def test_operators_and_viewers_are_confined_to_their_sites() -> None:
    assert confining(Role.OPERATOR, ["a", "b"]) == {"a", "b"}
    assert confining(Role.VIEWER, ["a"]) == {"a"}


def test_a_site_list_is_kept_sorted_without_repeats() -> None:
    assert stored(["b", "a", "b"]) == ["a", "b"]


def test_a_site_scope_is_still_the_organization_id() -> None:
    scope = SiteScope("org-1", frozenset({"site"}))
    assert scope == "org-1" and hash(scope) == hash("org-1")
    assert {("org-1", "rule"): 1}[scope, "rule"] == 1
    assert site_scope_of(scope) is scope and site_scope_of("org-1") is None
    assert scope.covers_location("site") and not scope.covers_location(None)


def test_a_copied_site_scope_keeps_its_locations() -> None:
    import copy
    import pickle

    scope = SiteScope("org-1", frozenset({"site"}), frozenset({"feeder"}))
    for kept in (copy.copy(scope), copy.deepcopy(scope), pickle.loads(pickle.dumps(scope))):
        assert isinstance(kept, SiteScope) and kept.location_ids == {"site"}
        assert kept.circuit_ids == {"feeder"} and kept.covers_circuit("feeder")


def test_a_circuit_is_a_sites_when_every_station_under_it_is() -> None:
    parents = {"main": None, "a": "main", "a1": "a", "b": "main", "spare": None, "idle": "a"}
    # Per circuit hung on directly: (stations, of them in the sites).
    stations = {"a1": (2, 2), "b": (1, 0)}
    assert circuits_within(parents, stations) == {"a", "a1"}
    # One station of another site below `a` hides it (and `main` stays hidden).
    assert circuits_within(parents, stations | {"a": (1, 0)}) == {"a1"}
    assert circuits_within(parents, {}) == frozenset()


def test_a_loop_in_the_circuit_tree_ends() -> None:
    assert circuits_within({"x": "y", "y": "x"}, {"x": (1, 1)}) == {"x", "y"}


def test_a_circuit_placed_at_a_site_is_the_sites_before_any_station_hangs_there() -> None:
    parents = {"feeder": None, "bay": "feeder", "other": None, "loose": None, "mixed": None}
    placed = {"feeder": True, "other": False, "mixed": True}
    # Nothing hangs anywhere yet: the site's feeder and the bay that inherits its place are seen;
    # another site's feeder and an unplaced one are not.
    assert circuits_within(parents, {}, placed) == {"feeder", "bay", "mixed"}
    # Another site's station on a circuit placed at the site hides it (its load is shared).
    assert circuits_within(parents, {"mixed": (2, 1)}, placed) == {"feeder", "bay"}
    # A circuit placed at another site stays hidden, even with only the site's stations on it.
    assert circuits_within(parents, {"other": (1, 1)}, placed) == {"feeder", "bay", "mixed"}
    # A sub-circuit placed at another site is that site's, below a feeder of this one.
    below = circuits_within(parents | {"theirs": "feeder"}, {}, placed | {"theirs": False})
    assert below == {"feeder", "bay", "mixed"}
