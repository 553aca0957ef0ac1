"""The charging profiles a station has accepted, per connector (0 = whole station)."""

from __future__ import annotations

from collections.abc import Iterator

from chargeyard.simulator.charging_limits import InstalledProfile
from chargeyard.simulator.charging_profile import ChargingProfile, ProfilePurpose


class ProfileStore:
    """Installs, replaces and clears profiles with the OCPP 1.6 replacement rules."""

    def __init__(self) -> None:
        self._installed: list[InstalledProfile] = []

    def __iter__(self) -> Iterator[InstalledProfile]:
        return iter(tuple(self._installed))

    def __len__(self) -> int:
        return len(self._installed)

    def install(self, connector_id: int, profile: ChargingProfile) -> None:
        """Add `profile`, replacing one with its id or its stack level and purpose."""

        def replaced(item: InstalledProfile) -> bool:
            if item.profile.profile_id == profile.profile_id:
                return True
            return (
                item.connector_id == connector_id
                and item.profile.stack_level == profile.stack_level
                and item.profile.purpose is profile.purpose
            )

        self._installed = [item for item in self._installed if not replaced(item)]
        self._installed.append(InstalledProfile(connector_id, profile))

    def clear(
        self,
        *,
        profile_id: int | None = None,
        connector_id: int | None = None,
        purpose: ProfilePurpose | None = None,
        stack_level: int | None = None,
    ) -> int:
        """Remove the profile with `profile_id`, or all matching the other criteria.

        Returns how many were removed, so the caller can answer Accepted or Unknown.
        """

        def matches(item: InstalledProfile) -> bool:
            if profile_id is not None:
                return item.profile.profile_id == profile_id
            return (
                (connector_id is None or item.connector_id == connector_id)
                and (purpose is None or item.profile.purpose is purpose)
                and (stack_level is None or item.profile.stack_level == stack_level)
            )

        kept = [item for item in self._installed if not matches(item)]
        removed = len(self._installed) - len(kept)
        self._installed = kept
        return removed

    def end_transaction(self, connector_id: int) -> None:
        """Drop the connector's TxProfiles: they live only as long as their transaction."""
        self.clear(connector_id=connector_id, purpose=ProfilePurpose.TX)
