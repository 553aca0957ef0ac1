"""Sweeps over every operation of the server's own OpenAPI document, with the ids of real objects
(tests/api/populated.py), so each request reaches the code behind the lookup, not only the
edge's validation (schemathesis, test_schemathesis.py, mostly names objects that do not exist):

- another organization's ids, in the path or in a body, reach nothing: 404 or a refusal of the
  input, never its data, never a 403 that says the object exists;
- a viewer, an operator and a site-scoped user read every operation and never see a secret
  (station passwords and keys, webhook secrets, API tokens, user passwords); a viewer writes
  nothing; a site-scoped user sees nothing of a station outside its sites;
- hostile values (unicode, NUL, 2^63, negatives, huge strings, extreme instants, wrong types,
  malformed JSON, duplicate keys, half a surrogate pair, bare NaN and Infinity, a repeated query
  parameter, bytes that are not UTF-8 in a path or query) in every path, query parameter and
  body field answer a 4xx problem document or a success, never a 5xx or a dropped connection.

Deterministic: the hostile values tried per operation are drawn by a random generator seeded
with the operation's id (CHARGEYARD_HOSTILE_VALUES=all tries every value everywhere)."""

import json
from typing import Any
from urllib.parse import quote

import pytest

from tests.api.factories import USER_PASSWORD, client_as, created
from tests.api.hostile import (
    BODY_VALUES,
    PATH_VALUES,
    QUERY_VALUES,
    RAW_BODIES,
    RAW_QUERIES,
    drawn,
    judged,
    minimal_body,
    with_field,
)
from tests.api.openapi_walk import operations, resolve
from tests.api.populated import Populated, populate
from tests.conftest import Tenant
from tests.support.http import http_client

# Reference fields a body may carry, and the id (Populated.ids key) to put there.
REFERENCES = {
    "station_id": "station_id",
    "station_ids": "station_id",
    "location_id": "location_id",
    "location_ids": "location_id",
    "tariff_id": "tariff_id",
    "plan_id": "plan_id",
    "driver_id": "driver_id",
    "driver_ids": "driver_id",
    "circuit_id": "circuit_id",
    "tag_group_id": "group_id",
    "tariff_group_id": "/tariff-groups/{group_id}:group_id",
    "id_tag": "id_tag",
    "id_tags": "id_tag",
    "user_id": "user_id",
    "event_id": "event_id",
}
# Fields that hold a free string, not a reference: a vehicle's or a tag's parent's tag value is
# only compared with the organization's own tags, so another organization's value names nothing.
FREE_TEXT = {("/vehicles", "id_tag"), ("/vehicles/{vehicle_id}", "id_tag")} | {
    (path, "parent_id_tag") for path in ("/id-tags", "/id-tags/{tag_id}")
}
# Writes a viewer may make: they change nothing (a simulation) or only queue a report of what
# the viewer may read anyway.
VIEWER_WRITES = {"circuit_what_if", "request_report"}


def _secrets_in(text: str, secrets: set[str]) -> list[str]:
    """The secrets `text` shows (cut short), and any private key in PEM."""
    shown = [secret[:4] + "..." for secret in secrets if secret in text]
    return shown + (["a private key"] if "PRIVATE KEY-----" in text else [])


def _takes_a_list(schema: dict[str, Any], components: dict[str, Any]) -> bool:
    choices = schema.get("anyOf", [schema])
    return any(resolve(choice, components).get("type") == "array" for choice in choices)


@pytest.fixture
async def populated(tenant: Tenant) -> Populated:
    return await populate(tenant)


async def test_another_organizations_ids_reach_nothing(
    tenant: Tenant, populated: Populated, other_tenant: Tenant
) -> None:
    theirs = await populate(other_tenant)
    mine = {str(value) for value in populated.ids.values() if isinstance(value, str)}
    failures: list[str] = []
    for operation in await operations(tenant):
        if operation.reaches_out:
            continue
        body, item = minimal_body(operation)
        if any(p["in"] == "path" and p["name"] in populated.ids for p in operation.parameters):
            url = operation.url(populated.ids)
            kw = {"json": body} if operation.writes else {}
            answer = await judged(other_tenant.api, operation.method, url, failures, **kw)
            if answer is not None and answer.status_code not in (400, 404, 405, 422):
                failures.append(f"{operation.method} {url}: {answer.status_code} {answer.text}")
        if item is None:
            continue
        for name, schema in item.get("properties", {}).items():
            if name not in REFERENCES or (operation.path, name) in FREE_TEXT:
                continue
            value = populated.ids[REFERENCES[name]]
            if _takes_a_list(schema, operation.components):
                value = [value]
            url = operation.url(theirs.ids)
            answer = await judged(
                other_tenant.api,
                operation.method,
                url,
                failures,
                json=with_field(body, name, value),
            )
            if answer is None or answer.status_code >= 300:
                continue
            results = answer.json().get("results") if isinstance(answer.json(), dict) else None
            if results is not None:  # a bulk command: each station is answered on its own
                if any(r["http_status"] != 404 for r in results):
                    failures.append(f"{operation.method} {url} {name}: {answer.text[:300]}")
            elif any(found in answer.text for found in mine):
                failures.append(f"{operation.method} {url} {name}: {answer.text[:300]}")
    assert failures == []


async def test_every_role_reads_everything_and_no_secret(
    tenant: Tenant, populated: Populated
) -> None:
    failures: list[str] = []
    everything = await operations(tenant)
    reads = [operation for operation in everything if operation.method == "GET"]
    found = 0
    for role in ("viewer", "operator", "admin"):
        async with client_as(tenant, role) as api:
            for operation in everything:
                url = operation.url(populated.ids)
                if operation.method == "GET":
                    answer = await judged(api, "GET", url, failures)
                    found += role == "admin" and answer is not None and answer.status_code == 200
                    if answer is not None and answer.status_code != 404:
                        for leaked in _secrets_in(answer.text, populated.secrets):
                            failures.append(f"{role} GET {url} shows {leaked}")
                elif role == "viewer" and not operation.reaches_out:
                    body, _ = minimal_body(operation)
                    answer = await judged(api, operation.method, url, failures, json=body)
                    wrote = answer is not None and answer.status_code < 300
                    if wrote and not operation.operation_id.startswith(tuple(VIEWER_WRITES)):
                        failures.append(f"viewer {operation.method} {url} wrote")
    assert failures == []
    # The sweep reads real objects: almost every read finds what it names.
    assert found >= 0.9 * len(reads), (found, len(reads))


async def test_a_site_scoped_user_sees_nothing_of_another_site(
    tenant: Tenant, populated: Populated
) -> None:
    """The populated station is at one site; the user may see only another."""
    elsewhere = await created(tenant.api, "/locations", {"name": tenant.unique("Elsewhere")})
    email = f"{tenant.unique('scoped')}@example.com"
    user = {
        "email": email,
        "password": USER_PASSWORD,
        "role": "operator",
        "location_ids": [elsewhere["id"]],
    }
    await created(tenant.api, "/users", user)
    station_id = populated.station_id
    failures: list[str] = []
    auth = (email, USER_PASSWORD)
    reads = [operation for operation in await operations(tenant) if operation.method == "GET"]
    answered = 0
    async with http_client(base_url=str(tenant.api.base_url), auth=auth) as api:
        assert (await api.get("/users/me")).json()["email"] == email
        for operation in reads:
            url = operation.url(populated.ids)
            answer = await judged(api, "GET", url, failures)
            if answer is None or answer.status_code >= 400:
                continue
            answered += 1
            if "{station_id}" in operation.path:
                failures.append(f"GET {url}: {answer.status_code}")
            elif station_id in answer.text:
                failures.append(f"GET {url} shows the station: {answer.text[:200]}")
            for leaked in _secrets_in(answer.text, populated.secrets):
                failures.append(f"GET {url} shows {leaked}")
    assert failures == []
    assert answered >= len(reads) / 2, (answered, len(reads))  # the user did read


async def test_hostile_values_with_real_ids_are_answered(
    tenant: Tenant, populated: Populated
) -> None:
    failures: list[str] = []
    for operation in await operations(tenant):
        if operation.method == "DELETE" or operation.reaches_out or "/tokens" in operation.path:
            continue
        url = operation.url(populated.ids)
        for parameter in operation.parameters:
            if parameter["in"] == "path":  # the others name real objects
                for value in drawn(PATH_VALUES, operation, parameter["name"]):
                    other = operation.url(populated.ids, raw={parameter["name"]: value})
                    await judged(tenant.api, operation.method, other, failures)
            if parameter["in"] == "query":
                for value in drawn(QUERY_VALUES, operation, parameter["name"]):
                    query = f"{parameter['name']}={quote(value, safe='')}"
                    await judged(tenant.api, operation.method, f"{url}?{query}", failures)
                for raw_query in RAW_QUERIES:
                    query = raw_query.format(name=parameter["name"])
                    await judged(tenant.api, operation.method, f"{url}?{query}", failures)
        body, item = minimal_body(operation)
        if item is None:
            continue
        for raw in drawn(RAW_BODIES, operation, "raw"):
            headers = {"content-type": "application/json"}
            await judged(tenant.api, operation.method, url, failures, content=raw, headers=headers)
        for name in item.get("properties", {}):
            for value in drawn(BODY_VALUES, operation, name):
                content = json.dumps(with_field(body, name, value))
                headers = {"content-type": "application/json"}
                await judged(
                    tenant.api, operation.method, url, failures, content=content, headers=headers
                )
    # Whatever the sweep managed to store can be read back: a value accepted on the way in
    # must not break a list or a page on the way out (a station id an ETag header could not
    # carry once made a station unreadable for good).
    for operation in await operations(tenant):
        if operation.method == "GET":
            await judged(tenant.api, "GET", operation.url(populated.ids), failures)
            await judged(tenant.api, "GET", f"{operation.url(populated.ids)}?limit=1000", failures)
    assert failures == []
