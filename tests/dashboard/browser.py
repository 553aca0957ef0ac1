"""One headless Chromium per test module, from Debian's package, driven by Playwright.

Without /usr/bin/chromium the browser tests skip with the reason, except under CI (the `CI`
variable set), where `.ci/run` installs it first and a missing browser is a failure.
"""

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.async_api import Browser

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
    from playwright.async_api import async_playwright

    async with async_playwright() as driver:
        browser = await driver.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS, timeout=60_000
        )
        try:
            yield browser
        finally:
            await browser.close()
