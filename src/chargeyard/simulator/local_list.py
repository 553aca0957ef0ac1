"""The local authorization list a CSMS can push to a station (SendLocalList)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass
class LocalAuthList:
    """Id tags the station may authorize offline, with the version the CSMS gave them.

    Values are authorization statuses ("Accepted", "Blocked", ...); an update entry
    without a status removes the tag.
    """

    version: int = 0
    entries: dict[str, str] = field(default_factory=dict)

    def replace(self, version: int, entries: Mapping[str, str | None]) -> None:
        self.version = version
        self.entries = {tag: status for tag, status in entries.items() if status is not None}

    def update(self, version: int, entries: Mapping[str, str | None]) -> bool:
        """Apply a differential update; False if `version` is not newer than ours."""
        if version <= self.version:
            return False
        for tag, status in entries.items():
            if status is None:
                self.entries.pop(tag, None)
            else:
                self.entries[tag] = status
        self.version = version
        return True

    def status_of(self, id_tag: str) -> str | None:
        return self.entries.get(id_tag)
