"""A restart never leaves a report running: a server of its own, stopped while reports are
left running (as a worker killed mid-build leaves them), started again on the same database."""

from pathlib import Path

from chargeyard.reports.models import ReportRequest
from chargeyard.settings import Settings
from chargeyard.storage.database import Database
from tests.conftest import Tenant, make_tenant
from tests.reports.support import settled
from tests.support.databases import fresh_database
from tests.support.http import http_client
from tests.support.server import free_port, in_process_server


def settings_for(url: str) -> Settings:
    return Settings(
        database_url=url, port=free_port(), node_id="reports-restart", events_poll_s=0.05
    )


async def test_reports_left_running_are_resumed_or_failed_after_a_restart(
    tmp_path: Path,
) -> None:
    async with fresh_database(tmp_path) as url:
        async with in_process_server(settings_for(url)) as first:
            async for tenant in make_tenant(first):
                asked = await tenant.api.post("/reports", json={"kind": "alerts"})
                assert (await settled(tenant, asked.json()["id"]))["status"] == "ready"
                organization_id, token = tenant.organization_id, tenant.token

        db = Database(url)
        try:
            async with db.writing() as uow:
                for name, attempts in (("resumed", 1), ("given-up", 3)):
                    uow.session.add(
                        ReportRequest(
                            id=name,
                            organization_id=organization_id,
                            kind="status-history",
                            format="xlsx",
                            filters={},
                            status="running",
                            attempts=attempts,
                        )
                    )
                await uow.commit()
        finally:
            await db.dispose()

        async with in_process_server(settings_for(url)) as second:
            headers = {"Authorization": f"Bearer {token}"}
            async with http_client(base_url=f"{second.base_url}/api/v1", headers=headers) as api:
                again = Tenant(organization_id, "restarted", token, api, second)
                resumed = await settled(again, "resumed")
                assert resumed["status"] == "ready" and resumed["rows"] == 0
                assert (await api.get(resumed["download_url"])).status_code == 200
                given_up = await settled(again, "given-up")
                assert given_up["status"] == "failed"
                assert "interrupted 3 times" in given_up["error"]
