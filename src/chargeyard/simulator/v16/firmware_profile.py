"""Commands of the OCPP 1.6 Firmware Management profile, answered by a simulated station.

Neither command has a status in its answer, so the negative path shows in the progress
notifications that follow: DownloadFailed and UploadFailed. HTTP(S) locations are used for real
(`file_transfer.py`); other ones (FTP) are only pretended.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ocpp.v16 import call_result
from ocpp.v16.enums import Action, DiagnosticsStatus, FirmwareStatus

from chargeyard.simulator.file_transfer import download, is_http, upload
from chargeyard.simulator.v16 import codec
from chargeyard.simulator.v16.handler import ProfileHandlers, handles


class FirmwareProfile(ProfileHandlers):
    @handles(Action.update_firmware)
    def on_update_firmware(
        self, location: str, retrieve_date: str, **_: Any
    ) -> call_result.UpdateFirmware:
        retrieve_at = codec.parse_timestamp(retrieve_date)
        fails = self.refuses(Action.update_firmware)
        self.after_reply(lambda: self._update_firmware(retrieve_at, location, fails=fails))
        return call_result.UpdateFirmware()

    @handles(Action.get_diagnostics)
    def on_get_diagnostics(self, location: str, **_: Any) -> call_result.GetDiagnostics:
        stamp = self.station.clock.now().strftime("%Y%m%dT%H%M%SZ")
        name = f"{self.station.station_id}-{stamp}.log"
        fails = self.refuses(Action.get_diagnostics)
        self.after_reply(lambda: self._upload_diagnostics(location, name, fails=fails))
        return call_result.GetDiagnostics(file_name=name)

    async def _update_firmware(self, retrieve_at: datetime, location: str, *, fails: bool) -> None:
        """Wait for the retrieve date, fetch the image (for real from an HTTP URL), then report
        download and installation progress."""
        station = self.station
        await station.clock.sleep((retrieve_at - station.clock.now()).total_seconds())
        await station.firmware_status_notification(FirmwareStatus.downloading)
        if not fails and is_http(location):
            fails = await download(location) is None
        steps = (
            (FirmwareStatus.download_failed,)
            if fails
            else (FirmwareStatus.downloaded, FirmwareStatus.installing, FirmwareStatus.installed)
        )
        for status in steps:
            await station.clock.sleep(station.behaviour.step_delay_s)
            await station.firmware_status_notification(status)

    async def _upload_diagnostics(self, location: str, name: str, *, fails: bool) -> None:
        """Upload a diagnostics file: for real to an HTTP URL, else only the notifications."""
        station = self.station
        await station.diagnostics_status_notification(DiagnosticsStatus.uploading)
        await station.clock.sleep(station.behaviour.step_delay_s)
        if not fails and is_http(location):
            content = f"{station.station_id} diagnostics {station.clock.now().isoformat()}\n"
            fails = not await upload(location, name, content.encode())
        done = DiagnosticsStatus.upload_failed if fails else DiagnosticsStatus.uploaded
        await station.diagnostics_status_notification(done)
