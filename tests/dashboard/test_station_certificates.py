"""A station's certificates on its page: operators list what a simulated OCPP 2.0.1 station has
installed, install a root certificate and delete one from the list, through the same commands
as `POST /api/v1/stations/{id}/commands/...`; viewers see no certificate forms and get 403."""

from tests.commands.conftest import command
from tests.commands.v201.device_cases import PEM
from tests.commands.v201.test_simulated_station import simulated
from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user

FRAGMENT = {"X-Dashboard-Fragment": "1"}


async def test_an_operator_installs_lists_and_deletes_certificates(tenant: Tenant) -> None:
    operator = await make_user(tenant, "operator")
    async with (
        simulated(tenant) as (station_id, _station),
        browser_client(tenant, operator) as client,
    ):
        page = await client.get(f"/stations/{station_id}")
        csrf = hidden(page.text, "csrf_token")
        base = f"/stations/{station_id}"
        empty = await client.post(
            f"{base}/certificates", data={"csrf_token": csrf}, headers=FRAGMENT
        )
        bad_type = await client.post(
            f"{base}/certificates",
            data={"csrf_token": csrf, "certificate_type": "Nonsense"},
            headers=FRAGMENT,
        )
        installed = await client.post(
            f"{base}/commands/install-certificate",
            data={
                "csrf_token": csrf,
                "certificate_type": "CSMSRootCertificate",
                "certificate": PEM,
            },
            headers=FRAGMENT,
        )
        listed = await client.post(
            f"{base}/certificates",
            data={"csrf_token": csrf, "certificate_type": "CSMSRootCertificate"},
            headers=FRAGMENT,
        )
        serial = hidden(listed.text, "serial_number")
        delete_form = {
            name: hidden(listed.text, name)
            for name in ("hash_algorithm", "issuer_name_hash", "issuer_key_hash")
        }
        deleted = await client.post(
            f"{base}/commands/delete-certificate",
            data={"csrf_token": csrf, "serial_number": serial} | delete_form,
            headers=FRAGMENT,
        )
        again = await client.post(
            f"{base}/commands/delete-certificate",
            data={"csrf_token": csrf, "serial_number": serial} | delete_form,
        )
    assert 'id="certificates"' in page.text and "Install certificate" in page.text
    assert empty.status_code == 200 and "NotFound" in empty.text
    assert bad_type.status_code == 422
    assert installed.status_code == 200 and "Accepted" in installed.text
    assert 'id="installed-certificates"' in listed.text and "CSMSRootCertificate" in listed.text
    assert f"/stations/{station_id}/commands/delete-certificate" in listed.text
    assert deleted.status_code == 200 and "Accepted" in deleted.text
    # Without the page's script the answer is the station page showing the result.
    assert (
        again.status_code == 200 and "NotFound" in again.text and "Remote operations" in again.text
    )


async def test_viewers_see_no_certificate_forms_and_may_not_send_them(tenant: Tenant) -> None:
    viewer = await make_user(tenant, "viewer")
    async with (
        simulated(tenant) as (station_id, _station),
        browser_client(tenant, viewer) as client,
    ):
        page = await client.get(f"/stations/{station_id}")
        csrf = hidden(page.text, "csrf_token")
        listed = await client.post(
            f"/stations/{station_id}/certificates", data={"csrf_token": csrf}
        )
        install = await client.post(
            f"/stations/{station_id}/commands/install-certificate",
            data={
                "csrf_token": csrf,
                "certificate_type": "CSMSRootCertificate",
                "certificate": PEM,
            },
        )
        still = await command(tenant, station_id, "get-installed-certificate-ids", {})
    assert page.status_code == 200 and 'id="certificates"' not in page.text
    assert listed.status_code == 403 and install.status_code == 403
    assert still.json()["status"] == "NotFound"
