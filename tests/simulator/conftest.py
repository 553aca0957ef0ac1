from collections.abc import AsyncIterator

import pytest

from .fake_csms import FakeCsms


@pytest.fixture
async def csms() -> AsyncIterator[FakeCsms]:
    server = FakeCsms()
    await server.start()
    yield server
    await server.stop()
