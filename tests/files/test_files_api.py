"""Files over real HTTP: a station's one-time upload URL, firmware images and download links."""

from collections.abc import AsyncIterator
from typing import Any

import pytest

from chargeyard.settings import Settings
from tests.api.factories import client_as, created
from tests.conftest import Tenant, make_tenant
from tests.support.databases import fresh_database
from tests.support.http import http_client
from tests.support.ocpp_client import PASSWORD
from tests.support.server import RunningServer, free_port, in_process_server

PROBLEM = "application/problem+json"


async def station(tenant: Tenant) -> str:
    station_id = tenant.unique("CP")
    await created(tenant.api, "/stations", {"id": station_id, "password": PASSWORD})
    return station_id


async def open_upload(tenant: Tenant, station_id: str, **body: Any) -> dict[str, Any]:
    return await created(tenant.api, f"/stations/{station_id}/uploads", body)


async def test_a_station_uploads_its_diagnostics_once(tenant: Tenant) -> None:
    station_id = await station(tenant)
    slot = await open_upload(tenant, station_id, kind="diagnostics")
    assert slot["status"] == "awaiting_upload" and slot["upload_url"].startswith("http")
    async with http_client() as plain:  # a station: no API credentials
        put = await plain.put(slot["upload_url"] + "?filename=diag.zip", content=b"PK\x03\x04log")
        assert put.status_code == 201, put.text
        again = await plain.put(slot["upload_url"], content=b"overwrite")
        assert again.status_code == 404 and again.headers["content-type"] == PROBLEM

    listing = (await tenant.api.get("/files", params={"station_id": station_id})).json()
    [stored] = listing["items"]
    assert stored["id"] == slot["id"] and stored["status"] == "stored"
    assert (stored["filename"], stored["size"], stored["kind"]) == ("diag.zip", 7, "diagnostics")
    assert "upload_url" not in stored  # the URL is shown once
    content = await tenant.api.get(f"/files/{slot['id']}/content")
    assert content.status_code == 200 and content.content == b"PK\x03\x04log"
    assert 'filename="diag.zip"' in content.headers["content-disposition"]
    events = (await tenant.api.get("/events", params={"type": "file.uploaded"})).json()["items"]
    assert [e["data"]["file_id"] for e in events] == [slot["id"]]


async def test_a_multipart_post_is_taken_as_stations_send_it(tenant: Tenant) -> None:
    slot = await open_upload(tenant, await station(tenant), kind="log")
    async with http_client() as plain:
        files = {"file": ("../../etc/security.log", b"line 1\nline 2\n", "text/plain")}
        posted = await plain.post(slot["upload_url"], files=files)
    assert posted.status_code == 201, posted.text
    stored = (await tenant.api.get(f"/files/{slot['id']}")).json()
    # the name a station gives is reduced to its last part: never a path
    assert (stored["filename"], stored["content_type"], stored["size"]) == (
        "security.log",
        "text/plain",
        14,
    )


async def test_firmware_is_served_through_a_counted_limited_link(tenant: Tenant) -> None:
    image = bytes(range(256)) * 40
    answer = await tenant.api.post("/firmware", params={"filename": "fw-1.2.3.bin"}, content=image)
    assert answer.status_code == 201, answer.text
    firmware = answer.json()
    assert (firmware["kind"], firmware["size"], firmware["station_id"]) == ("firmware", 10240, None)
    link = await created(
        tenant.api, f"/files/{firmware['id']}/download-links", {"max_downloads": 1}
    )
    async with http_client() as plain:
        fetched = await plain.get(link["url"])
        assert fetched.status_code == 200 and fetched.content == image
        assert (await plain.get(link["url"])).status_code == 404  # used up
        assert (await plain.get(link["url"] + "x")).status_code == 404  # unknown: same answer
    assert (await tenant.api.get(f"/files/{firmware['id']}")).json()["downloads"] == 1


async def test_a_viewer_lists_files_but_cannot_open_or_read_them(tenant: Tenant) -> None:
    station_id = await station(tenant)
    slot = await open_upload(tenant, station_id)
    async with http_client() as plain:
        assert (await plain.put(slot["upload_url"], content=b"secret")).status_code == 201
    async with client_as(tenant, "viewer") as viewer:
        assert (await viewer.get("/files")).json()["total"] == 1
        assert (await viewer.get(f"/files/{slot['id']}/content")).status_code == 403
        refused = await viewer.post(f"/stations/{station_id}/uploads", json={})
        assert refused.status_code == 403
        assert (await viewer.post("/firmware", content=b"x")).status_code == 403


async def test_another_organization_reaches_none_of_it(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    station_id = await station(tenant)
    slot = await open_upload(tenant, station_id)
    assert (await other_tenant.api.get(f"/files/{slot['id']}")).status_code == 404
    assert (await other_tenant.api.get(f"/files/{slot['id']}/content")).status_code == 404
    link = await other_tenant.api.post(f"/files/{slot['id']}/download-links", json={})
    assert link.status_code == 404
    foreign = await other_tenant.api.post(f"/stations/{station_id}/uploads", json={})
    assert foreign.status_code == 404
    assert (await other_tenant.api.get("/files")).json()["total"] == 0


async def test_bad_requests_are_clear(tenant: Tenant) -> None:
    slot = await open_upload(tenant, await station(tenant))
    link = await tenant.api.post(f"/files/{slot['id']}/download-links", json={})
    assert link.status_code == 422  # nothing uploaded yet
    assert link.headers["content-type"] == PROBLEM
    firmware_slot = await tenant.api.post(
        f"/stations/{slot['station_id']}/uploads", json={"kind": "firmware"}
    )
    assert firmware_slot.status_code == 422
    empty = await tenant.api.post("/firmware", content=b"")
    assert empty.status_code == 422
    # a multipart form whose only part is a plain field, not a file
    no_file = await tenant.api.post("/firmware", files={"note": (None, "no file here")})
    assert no_file.status_code == 422


@pytest.fixture(scope="module")
async def small_server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningServer]:
    async with fresh_database(tmp_path_factory.mktemp("files")) as url:
        settings = Settings(
            database_url=url, port=free_port(), node_id="files-test", files_max_bytes=2048
        )
        async with in_process_server(settings) as running:
            yield running


async def test_files_over_the_limit_are_refused(small_server: RunningServer) -> None:
    async for tenant in make_tenant(small_server):
        slot = await open_upload(tenant, await station(tenant))
        async with http_client() as plain:
            too_big = await plain.put(slot["upload_url"], content=b"x" * 100_000)
            assert too_big.status_code == 413 and too_big.headers["content-type"] == PROBLEM

            async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted while read
                for _ in range(100):
                    yield b"y" * 1000

            streamed = await plain.put(slot["upload_url"], content=chunks())
            assert streamed.status_code == 413
            # the refused uploads did not use the URL up
            assert (await plain.put(slot["upload_url"], content=b"ok")).status_code == 201
        assert (await tenant.api.post("/firmware", content=b"z" * 5000)).status_code == 413


async def test_a_download_is_never_served_as_the_type_the_uploader_declared(
    tenant: Tenant,
) -> None:
    """A station (or anyone holding an upload URL) chooses the declared type: served as HTML, a
    stored file would run in an operator's browser on Chargeyard's origin."""
    slot = await open_upload(tenant, await station(tenant), kind="log")
    async with http_client() as plain:
        files = {"file": ("page.html", b"<script>alert(1)</script>", "text/html")}
        assert (await plain.post(slot["upload_url"], files=files)).status_code == 201
    stored = (await tenant.api.get(f"/files/{slot['id']}")).json()
    assert stored["content_type"] == "text/html"  # kept as metadata
    content = await tenant.api.get(f"/files/{slot['id']}/content")
    assert content.status_code == 200
    assert content.headers["content-type"] == "application/octet-stream"
    assert content.headers["x-content-type-options"] == "nosniff"
    assert content.headers["content-disposition"].startswith("attachment;")
