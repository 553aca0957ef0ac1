"""Walking the server's own OpenAPI document: every operation, a minimal body its schema
accepts, and its path filled with the ids of real objects (tests/api/populated.py)."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from tests.conftest import Tenant
from tests.support.http import http_client

# Operations a sweep leaves out, and why:
# - server-sent event streams answer without end;
# - revoking API tokens would end the sweep's own access;
# - a webhook created, pinged or redelivered to would send requests to whatever the sweep wrote
#   (tests/webhooks covers them), and the file upload by token is not under /api/v1.
EXCLUDED_OPERATIONS = ("stream_events", "revoke_token")
EXCLUDED_WRITES = ("create_webhook", "ping_api_v1_webhooks", "redeliver_api_v1_webhooks")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # below /api/v1, with {placeholders}
    operation_id: str
    spec: dict[str, Any]
    components: dict[str, Any]

    @property
    def parameters(self) -> list[dict[str, Any]]:
        return list(self.spec.get("parameters", []))

    @property
    def writes(self) -> bool:
        return self.method != "GET"

    @property
    def reaches_out(self) -> bool:
        """Whether calling it makes the server send requests to an address in the body."""
        return self.operation_id.startswith(EXCLUDED_WRITES)

    def body_schema(self) -> dict[str, Any] | None:
        content = self.spec.get("requestBody", {}).get("content", {})
        schema = content.get("application/json", {}).get("schema")
        return None if schema is None else resolve(schema, self.components)

    def url(self, ids: dict[str, Any], raw: dict[str, str] | None = None) -> str:
        """The path with each placeholder filled from `ids` (by `path:name`, then by name), or
        with a plausible value that names nothing; `raw` values go in as written (already
        percent-encoded)."""
        values = {}
        for parameter in self.parameters:
            if parameter["in"] != "path":
                continue
            name = parameter["name"]
            value = ids.get(f"{self.path}:{name}", ids.get(name))
            if value is None:
                kind = resolve(parameter["schema"], self.components).get("type")
                value = 1 if kind == "integer" else sample(parameter["schema"], self.components)
            values[name] = quote(str(value), safe="")
        return self.path.format(**(values | (raw or {})))


def resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def sample(schema: dict[str, Any], components: dict[str, Any], depth: int = 0) -> Any:
    """A small value the schema accepts (its example, default, first choice or minimum), with
    only the required properties of an object."""
    schema = resolve(schema, components)
    if depth > 5:
        return None
    for key in ("anyOf", "oneOf"):
        if key in schema:
            choices = [s for s in schema[key] if resolve(s, components).get("type") != "null"]
            return sample(choices[0], components, depth + 1) if choices else None
    if "allOf" in schema:
        return sample(schema["allOf"][0], components, depth + 1)
    for key in ("const", "enum", "examples"):
        if key in schema:
            return schema[key] if key == "const" else schema[key][0]
    if schema.get("default") is not None:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        required = set(schema.get("required", []))
        return {
            name: sample(prop, components, depth + 1)
            for name, prop in schema.get("properties", {}).items()
            if name in required
        }
    if kind == "array":
        return []
    if kind in ("integer", "number"):
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return False
    if kind == "string":
        return {
            "date-time": "2030-01-01T00:00:00Z",
            "date": "2030-01-01",
            "email": "someone@example.com",
            "uri": "http://127.0.0.1:9/",
        }.get(schema.get("format", ""), "x")
    return None


async def operations(tenant: Tenant) -> list[Operation]:
    """Every operation under /api/v1 the server documents, but the excluded ones."""
    async with http_client(base_url=tenant.server.base_url) as client:
        document = (await client.get("/openapi.json")).json()
    found = []
    for path, methods in document["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, spec in methods.items():
            operation_id = spec.get("operationId", "")
            if any(excluded in operation_id for excluded in EXCLUDED_OPERATIONS):
                continue
            found.append(
                Operation(
                    method.upper(),
                    path.removeprefix("/api/v1"),
                    operation_id,
                    spec,
                    document["components"]["schemas"],
                )
            )
    return found
