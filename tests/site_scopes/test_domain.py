"""Who is confined to sites, and how a site list is kept."""

from chargeyard.organizations.domain import Role
from chargeyard.site_scopes.domain import confining, stored
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

    scope = SiteScope("org-1", frozenset({"site"}))
    for kept in (copy.copy(scope), copy.deepcopy(scope), pickle.loads(pickle.dumps(scope))):
        assert isinstance(kept, SiteScope) and kept.location_ids == {"site"}
