"""OCPP 2.x maintenance commands on a simulated station: firmware updates and log uploads
(with their progress notifications), display messages and certificates."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from ocpp.v201 import call_result as r

from chargeyard.simulator.file_transfer import download, is_http, upload
from chargeyard.simulator.v16.codec import parse_timestamp
from chargeyard.simulator.v201_handler import Handlers, handles

_PEM = "-----BEGIN CERTIFICATE-----"


class MaintenanceHandlers(Handlers):
    @handles("UpdateFirmware")
    def on_update_firmware(
        self, request_id: int, firmware: dict[str, Any], **_: Any
    ) -> r.UpdateFirmware:
        """A signed update needs a PEM signing certificate. The firmware at a location
        containing "broken" fails to download (after the update was Accepted)."""
        if self.refuses("UpdateFirmware"):
            return r.UpdateFirmware(status="Rejected")
        certificate = firmware.get("signing_certificate")
        if certificate is not None and not certificate.startswith(_PEM):
            return r.UpdateFirmware(status="InvalidCertificate")
        retrieve_at = parse_timestamp(firmware["retrieve_date_time"])
        location = firmware["location"]
        self.after_reply(lambda: self._update_firmware(request_id, retrieve_at, location))
        return r.UpdateFirmware(status="Accepted")

    @handles("GetLog")
    def on_get_log(self, log: dict[str, Any], log_type: str, request_id: int, **_: Any) -> r.GetLog:
        if self.refuses("GetLog"):
            return r.GetLog(status="Rejected")
        stamp = self.station.clock.now().strftime("%Y%m%dT%H%M%SZ")
        filename = f"{self.station.station_id}-{log_type}-{stamp}.log"
        self.after_reply(lambda: self._upload_log(request_id, log["remote_location"], filename))
        return r.GetLog(status="Accepted", filename=filename)

    @handles("SetDisplayMessage")
    def on_set_display_message(self, message: dict[str, Any], **_: Any) -> r.SetDisplayMessage:
        if self.refuses("SetDisplayMessage"):
            return r.SetDisplayMessage(status="Rejected")
        if message["message"]["format"] not in ("ASCII", "UTF8"):
            return r.SetDisplayMessage(status="NotSupportedMessageFormat")
        self.station.display_messages[int(message["id"])] = message
        return r.SetDisplayMessage(status="Accepted")

    @handles("GetDisplayMessages")
    def on_get_display_messages(
        self,
        request_id: int,
        id: list[int] | None = None,
        priority: str | None = None,
        state: str | None = None,
        **_: Any,
    ) -> r.GetDisplayMessages:
        found = [
            message
            for message_id, message in self.station.display_messages.items()
            if (not id or message_id in id)
            and (priority is None or message["priority"] == priority)
            and (state is None or message.get("state") == state)
        ]
        if not found or self.refuses("GetDisplayMessages"):
            return r.GetDisplayMessages(status="Unknown")
        station = self.station
        self.after_reply(lambda: station.notify_display_messages(request_id, found))
        return r.GetDisplayMessages(status="Accepted")

    @handles("ClearDisplayMessage")
    def on_clear_display_message(self, id: int, **_: Any) -> r.ClearDisplayMessage:
        if self.refuses("ClearDisplayMessage"):
            return r.ClearDisplayMessage(status="Rejected")
        found = self.station.display_messages.pop(id, None)
        return r.ClearDisplayMessage(status="Unknown" if found is None else "Accepted")

    @handles("InstallCertificate")
    def on_install_certificate(
        self, certificate_type: str, certificate: str, **_: Any
    ) -> r.InstallCertificate:
        if self.refuses("InstallCertificate") or not certificate.startswith(_PEM):
            return r.InstallCertificate(status="Rejected")
        digest = hashlib.sha256(certificate.encode()).hexdigest()
        hash_data = {
            "hash_algorithm": "SHA256",
            "issuer_name_hash": digest[:32],
            "issuer_key_hash": digest[32:],
            "serial_number": digest[:16],
        }
        self.station.certificates[hash_data["serial_number"]] = {
            "certificate_type": certificate_type,
            "certificate_hash_data": hash_data,
        }
        return r.InstallCertificate(status="Accepted")

    @handles("DeleteCertificate")
    def on_delete_certificate(
        self, certificate_hash_data: dict[str, Any], **_: Any
    ) -> r.DeleteCertificate:
        if self.refuses("DeleteCertificate"):
            return r.DeleteCertificate(status="Failed")
        found = self.station.certificates.pop(certificate_hash_data["serial_number"], None)
        return r.DeleteCertificate(status="NotFound" if found is None else "Accepted")

    @handles("GetInstalledCertificateIds")
    def on_get_installed_certificate_ids(
        self, certificate_type: list[str] | None = None, **_: Any
    ) -> r.GetInstalledCertificateIds:
        chain = [
            installed
            for installed in self.station.certificates.values()
            if not certificate_type or installed["certificate_type"] in certificate_type
        ]
        if not chain or self.refuses("GetInstalledCertificateIds"):
            return r.GetInstalledCertificateIds(status="NotFound")
        return r.GetInstalledCertificateIds(status="Accepted", certificate_hash_data_chain=chain)

    async def _update_firmware(self, request_id: int, retrieve_at: datetime, location: str) -> None:
        """Wait for the retrieve date, fetch the image (for real from an HTTP URL; a location
        containing "broken" fails), then report download and installation progress."""
        station = self.station
        await station.clock.sleep((retrieve_at - station.clock.now()).total_seconds())
        await station.firmware_status_notification("Downloading", request_id)
        fails = await download(location) is None if is_http(location) else "broken" in location
        steps = ("DownloadFailed",) if fails else ("Downloaded", "Installing", "Installed")
        for step in steps:
            await station.clock.sleep(station.behaviour.step_delay_s)
            await station.firmware_status_notification(step, request_id)

    async def _upload_log(self, request_id: int, location: str, filename: str) -> None:
        """Upload a log file: for real to an HTTP URL, else only the notifications."""
        station = self.station
        await station.log_status_notification("Uploading", request_id)
        await station.clock.sleep(station.behaviour.step_delay_s)
        taken = True
        if is_http(location):
            lines = [f"{station.station_id} {filename}", f"at {station.clock.now().isoformat()}"]
            taken = await upload(location, filename, "\n".join(lines).encode() + b"\n")
        await station.log_status_notification("Uploaded" if taken else "UploadFailure", request_id)
