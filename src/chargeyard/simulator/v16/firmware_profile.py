"""Commands of the OCPP 1.6 Firmware Management profile, answered by a simulated station.

Neither command has a status in its answer, so the negative path shows in the progress
notifications that follow: DownloadFailed and UploadFailed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ocpp.v16 import call_result
from ocpp.v16.enums import Action, DiagnosticsStatus, FirmwareStatus

from chargeyard.simulator.v16 import codec
from chargeyard.simulator.v16.handler import ProfileHandlers, handles


class FirmwareProfile(ProfileHandlers):
    @handles(Action.update_firmware)
    def on_update_firmware(
        self, location: str, retrieve_date: str, **_: Any
    ) -> call_result.UpdateFirmware:
        retrieve_at = codec.parse_timestamp(retrieve_date)
        fails = self.refuses(Action.update_firmware)
        self.after_reply(lambda: self._update_firmware(retrieve_at, fails=fails))
        return call_result.UpdateFirmware()

    @handles(Action.get_diagnostics)
    def on_get_diagnostics(self, location: str, **_: Any) -> call_result.GetDiagnostics:
        stamp = self.station.clock.now().strftime("%Y%m%dT%H%M%SZ")
        fails = self.refuses(Action.get_diagnostics)
        self.after_reply(lambda: self._upload_diagnostics(fails=fails))
        return call_result.GetDiagnostics(file_name=f"{self.station.station_id}-{stamp}.log")

    async def _update_firmware(self, retrieve_at: datetime, *, fails: bool) -> None:
        """Wait for the retrieve date, then report download and installation progress."""
        station = self.station
        await station.clock.sleep((retrieve_at - station.clock.now()).total_seconds())
        await station.firmware_status_notification(FirmwareStatus.downloading)
        steps = (
            (FirmwareStatus.download_failed,)
            if fails
            else (FirmwareStatus.downloaded, FirmwareStatus.installing, FirmwareStatus.installed)
        )
        for status in steps:
            await station.clock.sleep(station.behaviour.step_delay_s)
            await station.firmware_status_notification(status)

    async def _upload_diagnostics(self, *, fails: bool) -> None:
        station = self.station
        await station.diagnostics_status_notification(DiagnosticsStatus.uploading)
        await station.clock.sleep(station.behaviour.step_delay_s)
        done = DiagnosticsStatus.upload_failed if fails else DiagnosticsStatus.uploaded
        await station.diagnostics_status_notification(done)
