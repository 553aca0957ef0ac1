"""The API describes itself: /openapi.json and the /docs page load and cover every resource."""

from tests.conftest import Tenant
from tests.support.http import http_client


async def test_openapi_and_docs_load(tenant: Tenant) -> None:
    async with http_client(base_url=tenant.server.base_url) as client:
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


async def test_the_document_declares_how_to_authenticate_and_every_problem(
    tenant: Tenant,
) -> None:
    async with http_client(base_url=tenant.server.base_url) as client:
        spec = (await client.get("/openapi.json")).json()
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {**schemes["bearerAuth"], "type": "http", "scheme": "bearer"}
    assert schemes["basicAuth"]["scheme"] == "basic"
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    problem = {"$ref": "#/components/schemas/Problem"}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            for status in ("400", "413", "422"):
                assert responses[status]["content"] == {
                    "application/problem+json": {"schema": problem}
                }, (method, path, status)
            if path.startswith("/api/v1/"):
                assert operation["security"] == [{"bearerAuth": []}, {"basicAuth": []}]
                assert {"401", "403", "404", "409"} <= responses.keys(), (method, path)
            if method == "put":
                assert {"412", "428"} <= responses.keys(), (method, path)
            if method == "delete" and {"put", "patch"} & operations.keys():
                # The removal of an object changed with PUT or PATCH takes If-Match too.
                assert "412" in responses, (method, path)
    station = spec["paths"]["/api/v1/stations"]["post"]["requestBody"]["content"]
    assert station["application/json"]["schema"]["$ref"].endswith("StationCreate")
    assert spec["components"]["schemas"]["StationCreate"]["examples"]


async def test_docs_and_redoc_load_their_assets_from_the_server(tenant: Tenant) -> None:
    async with http_client(base_url=tenant.server.base_url) as client:
        for page, assets in (
            ("/docs", ("swagger-ui-bundle.js", "swagger-ui.css")),
            ("/redoc", ("redoc.standalone.js",)),
        ):
            html = (await client.get(page)).text
            assert "cdn" not in html.lower() and "googleapis" not in html, page
            for asset in assets:
                url = f"/static/docs/{asset}"
                assert url in html, (page, asset)
                answer = await client.get(url)
                assert answer.status_code == 200 and len(answer.content) > 100_000, url
