"""The vendor error code import form: its text read as the REST import's body (CSV with a header
row, or the REST JSON), every refusal naming the entry, its CSV line and the field; over HTTP, an
operator imports (new entries created, one with an existing key replaced), a refused import comes
back with the text as sent, a viewer gets no form and 403, and a site-confined operator imports
into the organization's table as the REST API lets it."""

import json

import pytest

from chargeyard.dashboard.error_code_import import import_body
from chargeyard.dashboard.forms import FormInvalid
from chargeyard.error_codes.domain import Severity
from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user

TABLE = """vendor,model,firmware_version,code,title,severity,description,action
Acme,,,E-17,Residual current detected,High,"The RCD tripped, twice",Reset the RCD
Acme,Wallbox 22,,E-17,RCD of the Wallbox 22,High,,
Acme,,,E-20,Overtemperature,,,
"""


def test_a_csv_table_is_the_import_body() -> None:
    body = import_body("\ufeff" + TABLE)
    assert [(c.model, c.code, c.severity) for c in body.codes] == [
        (None, "E-17", Severity.HIGH),
        ("Wallbox 22", "E-17", Severity.HIGH),
        (None, "E-20", Severity.MEDIUM),  # an empty cell is the default
    ]
    assert body.codes[0].description == "The RCD tripped, twice"


def test_the_rest_json_and_its_bare_list_are_the_import_body() -> None:
    entry = {"vendor": "Acme", "code": "E-1", "title": "Fault"}
    assert import_body(json.dumps({"codes": [entry]})).codes[0].code == "E-1"
    assert import_body(json.dumps([entry, entry | {"code": "E-2"}])).codes[1].code == "E-2"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("  ", "paste the entries, or choose a file"),
        ("vendor,colour\nAcme,red\n", "the header names 'colour'"),
        ("vendor,code,title\nAcme,E-1,Fault,extra\n", "line 2 has more cells than the header"),
        (
            "vendor,code,title\nAcme,E-1,Fault\nAcme,E-2,\n",
            "entry 2 (line 3), title: Field required",
        ),
        ("vendor,code,title,severity\nAcme,E-1,Fault,Dire\n", "entry 1 (line 2), severity:"),
        ('{"codes": [{"vendor": "Acme"', "not JSON:"),
        ('{"entries": []}', 'JSON holds {"codes": [...]} or a list of entries'),
        ('[{"vendor": "Acme", "code": "E-1"}]', "entry 1, title: Field required"),
        ("vendor,code,title\n", "codes:"),
    ],
)
def test_a_broken_import_says_where(text: str, said: str) -> None:
    with pytest.raises(FormInvalid) as refused:
        import_body(text)
    assert said in refused.value.fields["entries"]


def test_more_than_the_rest_limit_is_refused() -> None:
    rows = "".join(f"Acme,E-{n},Fault {n}\n" for n in range(1001))
    with pytest.raises(FormInvalid) as refused:
        import_body("vendor,code,title\n" + rows)
    assert "at most 1000 entries" in refused.value.fields["entries"]


async def test_an_operator_imports_a_table(tenant: Tenant) -> None:
    operator = await make_user(tenant, "operator")
    await tenant.api.post(
        "/vendor-error-codes", json={"vendor": "Acme", "code": "E-20", "title": "Old words"}
    )
    broken = TABLE + "Acme,,,E-21,,Low,,\n"
    async with browser_client(tenant, operator) as client:
        page = await client.get("/vendor-error-codes")
        csrf = hidden(page.text, "csrf_token")
        refused = await client.post(
            "/vendor-error-codes/import", data={"csrf_token": csrf, "entries": broken}
        )
        after_refusal = (await tenant.api.get("/vendor-error-codes")).json()["total"]
        done = await client.post(
            "/vendor-error-codes/import", data={"csrf_token": csrf, "entries": TABLE}
        )
        shown = await client.get(done.headers["location"])
    assert page.status_code == 200 and 'id="code-import"' in page.text
    assert '<div data-file-into="import-entries" hidden>' in page.text  # no chooser without script
    assert refused.status_code == 422 and 'id="import-entries-error"' in refused.text
    assert "entry 4 (line 5), title" in refused.text
    assert "Acme,,,E-21,,Low,," in refused.text  # the text as sent
    assert after_refusal == 1  # nothing of a refused import is kept
    assert done.status_code == 303
    assert "Imported: 2 created, 1 replaced." in shown.text
    codes = (await tenant.api.get("/vendor-error-codes")).json()["items"]
    assert sorted((c["code"], c["model"] or "", c["title"]) for c in codes) == [
        ("E-17", "", "Residual current detected"),
        ("E-17", "Wallbox 22", "RCD of the Wallbox 22"),
        ("E-20", "", "Overtemperature"),
    ]


async def test_a_viewer_gets_no_import_form_and_403(tenant: Tenant) -> None:
    viewer = await make_user(tenant, "viewer")
    async with browser_client(tenant, viewer) as client:
        page = await client.get("/vendor-error-codes")
        sent = await client.post(
            "/vendor-error-codes/import",
            data={"csrf_token": hidden(page.text, "csrf_token"), "entries": TABLE},
        )
    assert 'id="code-import"' not in page.text and sent.status_code == 403
    assert (await tenant.api.get("/vendor-error-codes")).json()["total"] == 0


async def test_an_import_may_be_larger_than_a_form_up_to_the_rest_limit(tenant: Tenant) -> None:
    operator = await make_user(tenant, "operator")
    rows = "".join(f"Acme,,,E-{n},A fault described at some length {n},Low,,\n" for n in range(400))
    table = TABLE.splitlines()[0] + "\n" + rows
    assert len(table) > 16_384  # above what an ordinary form may hold
    async with browser_client(tenant, operator) as client:
        page = await client.get("/vendor-error-codes")
        csrf = hidden(page.text, "csrf_token")
        done = await client.post(
            "/vendor-error-codes/import", data={"csrf_token": csrf, "entries": table}
        )
        too_large = await client.post(
            "/vendor-error-codes/import", data={"csrf_token": csrf, "entries": "x" * 1_100_000}
        )
    assert done.status_code == 303 and "created=400" in done.headers["location"]
    assert too_large.status_code in (413, 422)
