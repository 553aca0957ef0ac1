"""The firmware pages over HTTP: an operator uploads an image (a multipart form carrying its
CSRF token, larger than the API's body limit), makes a download link that a station fetches,
downloads and deletes the image; an empty file comes back as the form with the refusal beside
it; viewers read without forms and get 403; another organization's image and a station's
diagnostics are 404; a form without its CSRF token is refused."""

from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user
from tests.files.test_files_api import open_upload, station
from tests.support.http import http_client

IMAGE = b"\x7fELF" + bytes(range(256)) * 4500  # 1.1 MB: more than the API's 1 MiB body limit


async def test_an_operator_uploads_links_and_deletes_an_image(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    operator = await make_user(tenant, "operator")
    theirs = await other_tenant.api.post(
        "/firmware", params={"filename": "theirs.bin"}, content=b"other"
    )
    diagnostics = await open_upload(tenant, await station(tenant), kind="diagnostics")
    async with browser_client(tenant, operator) as client:
        page = await client.get("/firmware")
        csrf = hidden(page.text, "csrf_token")
        empty = await client.post(
            "/firmware/upload",
            data={"csrf_token": csrf},
            files={"file": ("empty.bin", b"", "application/octet-stream")},
        )
        forged = await client.post(
            "/firmware/upload", files={"file": ("fw.bin", IMAGE, "application/octet-stream")}
        )
        made = await client.post(
            "/firmware/upload",
            data={"csrf_token": csrf},
            files={"file": ("wallbox-2.1.bin", IMAGE, "application/octet-stream")},
        )
        path = made.headers["location"]
        shown = await client.get(path)
        refused_link = await client.post(
            f"{path}/links",
            data={"csrf_token": csrf, "expires_in_s": "86400", "max_downloads": "0"},
        )
        linked = await client.post(
            f"{path}/links", data={"csrf_token": csrf, "expires_in_s": "3600", "max_downloads": "1"}
        )
        url = linked.text.split('id="link-url" class="mono secret" readonly value="')[1].split('"')[
            0
        ]
        async with http_client() as plain:  # the station: no credentials but the link
            fetched = await plain.get(url)
            again = await plain.get(url)
        content = await client.get(f"{path}/content")
        listed = await client.get("/firmware")
        foreign = await client.get(f"/firmware/{theirs.json()['id']}")
        not_firmware = await client.get(f"/firmware/{diagnostics['id']}")
        deleted = await client.post(f"{path}/delete", data={"csrf_token": csrf})

    assert page.status_code == 200 and 'id="firmware-upload"' in page.text
    assert empty.status_code == 422 and 'id="upload-file-error"' in empty.text
    assert "the firmware image is empty" in empty.text
    assert forged.status_code == 403
    assert made.status_code == 303 and path.startswith("/firmware/")
    assert "wallbox-2.1.bin" in shown.text and 'id="link-new"' in shown.text
    assert refused_link.status_code == 422 and 'id="link-max_downloads-error"' in refused_link.text
    assert linked.status_code == 201 and url.startswith("http")
    assert fetched.status_code == 200 and fetched.content == IMAGE
    assert again.status_code == 404  # one download allowed
    assert content.status_code == 200 and content.content == IMAGE
    assert "wallbox-2.1.bin" in listed.text and "theirs.bin" not in listed.text
    assert "1 image," in listed.text  # the station's diagnostics are not firmware
    assert foreign.status_code == 404 and not_firmware.status_code == 404
    assert deleted.status_code == 303
    files = (await tenant.api.get("/files", params={"kind": "firmware"})).json()
    assert files["total"] == 0


async def test_viewers_and_site_confined_users_read(tenant: Tenant) -> None:
    made = await tenant.api.post("/firmware", params={"filename": "fw-3.bin"}, content=b"image")
    image = made.json()["id"]
    site = (await tenant.api.post("/locations", json={"name": "North"})).json()
    viewer = await make_user(tenant, "viewer")
    confined = await make_user(tenant, "viewer")
    await tenant.api.patch(f"/users/{confined.id}", json={"location_ids": [site["id"]]})
    for user in (viewer, confined):
        async with browser_client(tenant, user) as client:
            listing = await client.get("/firmware")
            page = await client.get(f"/firmware/{image}")
            csrf = hidden(page.text, "csrf_token")
            uploaded = await client.post(
                "/firmware/upload",
                data={"csrf_token": csrf},
                files={"file": ("x.bin", b"x", "application/octet-stream")},
            )
            linked = await client.post(f"/firmware/{image}/links", data={"csrf_token": csrf})
            content = await client.get(f"/firmware/{image}/content")
            deleted = await client.post(f"/firmware/{image}/delete", data={"csrf_token": csrf})
        assert listing.status_code == 200 and "fw-3.bin" in listing.text
        assert 'id="firmware-upload"' not in listing.text and 'id="link-new"' not in page.text
        statuses = (uploaded.status_code, linked.status_code, content.status_code)
        assert statuses == (403, 403, 403) and deleted.status_code == 403
    assert (await tenant.api.get(f"/files/{image}")).status_code == 200
