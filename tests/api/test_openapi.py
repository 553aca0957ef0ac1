"""The API describes itself: /openapi.json and the /docs page load and cover every resource."""

import httpx

from tests.conftest import Tenant


async def test_openapi_and_docs_load(tenant: Tenant) -> None:
    async with httpx.AsyncClient(base_url=tenant.server.base_url) as client:
        spec = await client.get("/openapi.json")
        docs = await client.get("/docs")
    assert spec.status_code == 200
    paths = spec.json()["paths"]
    for path in (
        "/api/v1/stations",
        "/api/v1/id-tags",
        "/api/v1/transactions",
        "/api/v1/locations/{location_id}",
        "/api/v1/locations/{location_id}/tree",
        "/api/v1/organization",
        "/api/v1/users/{user_id}",
        "/api/v1/tokens/{token_id}",
        "/api/v1/message-log",
    ):
        assert path in paths, path
    user_schema = spec.json()["components"]["schemas"]["UserOut"]
    assert "password" not in user_schema["properties"]
    assert docs.status_code == 200
    assert "swagger-ui" in docs.text and "/openapi.json" in docs.text
