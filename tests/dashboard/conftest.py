"""Dashboard test helpers: users of a tenant's organization, clients signed in as them, and
the browser that browser tests drive."""

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.api.factories import USER_PASSWORD, created
from tests.conftest import Tenant
from tests.support.http import http_client

if TYPE_CHECKING:
    from playwright.async_api import Browser


@dataclass(frozen=True)
class User:
    email: str
    password: str
    id: str


async def make_user(tenant: Tenant, role: str) -> User:
    email = f"{tenant.unique(role)}@example.com"
    body = {"email": email, "password": USER_PASSWORD, "role": role, "name": role.title()}
    made = await created(tenant.api, "/users", body)
    return User(email, USER_PASSWORD, made["id"])


async def confined_viewer(tenant: Tenant) -> User:
    """A viewer of `tenant`'s organization confined to a new site that holds nothing: what
    they are shown of the organization's records must be nothing."""
    elsewhere = await created(tenant.api, "/locations", {"name": tenant.unique("elsewhere")})
    confined = await make_user(tenant, "viewer")
    patched = await tenant.api.patch(
        f"/users/{confined.id}", json={"location_ids": [elsewhere["id"]]}
    )
    assert patched.status_code == 200, patched.text
    return confined


def hidden(page: str, name: str) -> str:
    """The value of a form's hidden field in a page."""
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found is not None, f"no hidden field {name!r} in the page"
    return found.group(1)


async def sign_in(client: httpx.AsyncClient, user: User) -> httpx.Response:
    front = await client.get("/")
    form = {
        "csrf_token": hidden(front.text, "csrf_token"),
        "next": "/",
        "email": user.email,
        "password": user.password,
    }
    return await client.post("/sign-in", data=form)


@asynccontextmanager
async def browser_client(
    tenant: Tenant, user: User | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client that keeps cookies like a browser, signed in as `user` when given."""
    async with http_client(base_url=tenant.server.base_url) as client:
        if user is not None:
            answer = await sign_in(client, user)
            assert answer.status_code == 303, answer.text
        yield client


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator["Browser"]:
    """One headless Chromium per test module that drives pages (`browser.py`)."""
    from tests.dashboard.browser import chromium

    async for launched in chromium():
        yield launched
