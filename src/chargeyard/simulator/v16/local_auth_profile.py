"""Commands of the OCPP 1.6 Local Auth List Management profile."""

from __future__ import annotations

from typing import Any

from ocpp.v16 import call_result
from ocpp.v16.enums import Action, UpdateStatus, UpdateType

from chargeyard.simulator.v16 import codec
from chargeyard.simulator.v16.handler import ProfileHandlers, handles

_NO_LIST = -1  # GetLocalListVersion's answer when local lists are not supported


class LocalAuthListProfile(ProfileHandlers):
    @handles(Action.send_local_list)
    def on_send_local_list(
        self,
        list_version: int,
        update_type: str,
        local_authorization_list: list[dict[str, Any]] | None = None,
        **_: Any,
    ) -> call_result.SendLocalList:
        configuration = self.station.configuration
        if not configuration.flag("LocalAuthListEnabled"):
            return call_result.SendLocalList(status=UpdateStatus.not_supported)
        entries = codec.authorization_list(local_authorization_list or [])
        too_long = len(entries) > configuration.integer("SendLocalListMaxLength")
        if self.refuses(Action.send_local_list) or too_long:
            return call_result.SendLocalList(status=UpdateStatus.failed)
        local_list = self.station.local_list
        if UpdateType(update_type) is UpdateType.full:
            local_list.replace(list_version, entries)
            return call_result.SendLocalList(status=UpdateStatus.accepted)
        applied = local_list.update(list_version, entries)
        status = UpdateStatus.accepted if applied else UpdateStatus.version_mismatch
        return call_result.SendLocalList(status=status)

    @handles(Action.get_local_list_version)
    def on_get_local_list_version(self, **_: Any) -> call_result.GetLocalListVersion:
        enabled = self.station.configuration.flag("LocalAuthListEnabled")
        if not enabled or self.refuses(Action.get_local_list_version):
            return call_result.GetLocalListVersion(list_version=_NO_LIST)
        return call_result.GetLocalListVersion(list_version=self.station.local_list.version)
