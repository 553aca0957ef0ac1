"""One headless Chromium per test module, from Debian's package, driven by Playwright.

Without /usr/bin/chromium the browser tests skip with the reason, except under CI (the `CI`
variable set), where `.ci/run` installs it first and a missing browser is a failure.
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import Tenant
from tests.dashboard.conftest import User

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page

DEADLINE_MS = 10_000  # generous for a loaded machine; the live update has its own 2 s limit
PHONE = {"width": 390, "height": 844}
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing under CI: .ci/run installs Debian's chromium first")
    pytest.skip(f"{CHROMIUM} is missing: `apt-get install chromium` to run the browser tests")


async def chromium() -> AsyncIterator["Browser"]:
    """A fresh browser: Playwright starts Chromium with a new temporary profile directory
    (user-data-dir) and removes it on close. Each test opens its own context (cookies)."""
    require_chromium()
    from playwright.async_api import async_playwright, expect

    # Playwright's 5 s default for an expectation is a bound on a hang, never what decides an
    # outcome: a form's post and the page it leads to took longer than that once on a machine
    # running two suites at once (the circuit test's "Put on this circuit").
    expect.set_options(timeout=DEADLINE_MS)

    async with async_playwright() as driver:
        browser = await driver.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS, timeout=60_000
        )
        try:
            yield browser
        finally:
            await browser.close()


def unexpected(kind: str, text: str, refused: tuple[int, ...] = (401, 403)) -> bool:
    said = [f"the server responded with a status of {status}" for status in refused]
    return kind == "error" and not any(words in text for words in said)


@asynccontextmanager
async def signed_in(
    browser: "Browser",
    tenant: Tenant,
    user: User,
    timezone: str | None = None,
    refused: tuple[int, ...] = (401, 403),
) -> AsyncIterator["Page"]:
    """A page signed in as `user`; on leaving, no script error and no failed load but the
    `refused` statuses a test asks for on purpose."""
    context = await browser.new_context(base_url=tenant.server.base_url, timezone_id=timezone)
    errors: list[str] = []
    try:
        page = await context.new_page()
        # Script errors and what the browser itself refused (a CSP violation, a missing asset);
        # a page answered 401 or 403 on purpose is no error.
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on(
            "console",
            lambda m: errors.append(m.text) if unexpected(m.type, m.text, refused) else None,
        )
        await page.goto("/")
        await page.get_by_label("E-mail").fill(user.email)
        await page.get_by_label("Password").fill(user.password)
        await page.get_by_role("button", name="Sign in").click()
        await page.get_by_role("heading", name="Overview").wait_for(timeout=DEADLINE_MS)
        yield page
        assert errors == [], errors
    finally:
        await context.close()


UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea, button')]
    .filter(el => el.type !== 'hidden')
    .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                  && !(el.tagName === 'BUTTON' && el.textContent.trim()))
    .map(el => el.outerHTML)"""
WIDE = """() => [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > 391 && !el.closest('.scroll'))
    .slice(0, 5).map(el => el.outerHTML.slice(0, 120))"""


async def check_phone_page(page: "Page", path: str) -> None:
    """The page open in a 390 px wide viewport labels every control, is no wider than the
    phone, and the keyboard reaches it: the first Tab lands on "Skip to content"."""
    assert await page.evaluate(UNLABELLED) == [], path
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (path, width, await page.evaluate(WIDE))
    await page.keyboard.press("Tab")
    focused = await page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content", (path, focused)
