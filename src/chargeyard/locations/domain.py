"""Site-tree rules, free of I/O: where a location may hang, and how a subtree is assembled."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def creates_cycle(location_id: str, parent_id: str, parent_ancestors: Iterable[str]) -> bool:
    """Hanging `location_id` under `parent_id` closes a loop when the location is the parent itself
    or one of the parent's ancestors (that is, the parent lies inside the location's subtree)."""
    return parent_id == location_id or location_id in set(parent_ancestors)


def is_timezone(name: str) -> bool:
    """An IANA zone name such as "Europe/Berlin"; opening and charging hours are local to it."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@dataclass(frozen=True)
class SiteRow:
    """What the tree needs of one location."""

    id: str
    parent_id: str | None
    name: str


@dataclass
class SiteNode:
    id: str
    parent_id: str | None
    name: str
    station_ids: list[str] = field(default_factory=list)
    children: list["SiteNode"] = field(default_factory=list)


def build_tree(
    root_id: str, rows: Sequence[SiteRow], stations: Iterable[tuple[str, str]]
) -> SiteNode:
    """Assemble the subtree under `root_id` from its rows and (station id, location id) pairs.

    Children and stations are sorted by name and id so the answer is stable."""
    nodes = {row.id: SiteNode(row.id, row.parent_id, row.name) for row in rows}
    for station_id, location_id in stations:
        if location_id in nodes:
            nodes[location_id].station_ids.append(station_id)
    for node in nodes.values():
        node.station_ids.sort()
        if node.id != root_id and node.parent_id in nodes:
            nodes[node.parent_id].children.append(node)
    for node in nodes.values():
        node.children.sort(key=lambda child: (child.name, child.id))
    return nodes[root_id]
