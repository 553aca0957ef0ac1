"""A real Chargeyard server on a loopback port, in this test process or as a child process."""

import asyncio
import contextlib
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
import uvicorn
from fastapi import FastAPI

from chargeyard.api.app import create_app
from chargeyard.clock import Clock, utcnow
from chargeyard.protocol.tls import server_config
from chargeyard.settings import Settings
from chargeyard.storage.migrate import upgrade_async
from tests.support.http import http_client

_START_TIMEOUT_S = 180.0


@dataclass
class RunningServer:
    base_url: str
    ocpp_url: str
    settings: Settings
    app: FastAPI | None = None
    """The application, when the server runs in this process (a test may hold its jobs)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def in_process_server(
    settings: Settings, clock: Clock = utcnow
) -> AsyncIterator[RunningServer]:
    await upgrade_async(settings.database_url)
    app = create_app(settings, clock)
    config = server_config(
        app,
        settings,
        host="127.0.0.1",
        port=settings.port,
        log_level="warning",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    async with asyncio.timeout(_START_TIMEOUT_S):  # a startup that hangs fails, with its stack
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.02)
    try:
        yield RunningServer(
            f"http://127.0.0.1:{settings.port}",
            f"ws://127.0.0.1:{settings.port}/ocpp",
            settings,
            app,
        )
    finally:
        server.should_exit = True
        await task


class ChildServer:
    """`chargeyard serve` in a subprocess, which a test may kill with SIGKILL."""

    def __init__(
        self,
        database_url: str,
        port: int,
        env: dict[str, str] | None = None,
        args: tuple[str, ...] = (),
    ) -> None:
        self.database_url = database_url
        self.port = port
        self.env = env or {}
        self.args = args
        self.process: asyncio.subprocess.Process | None = None
        self.base_url = f"http://127.0.0.1:{port}"
        self.ocpp_url = f"ws://127.0.0.1:{port}/ocpp"

    async def start(self) -> None:
        env = os.environ | {"CHARGEYARD_DATABASE_URL": self.database_url} | self.env
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "chargeyard",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            *self.args,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        # A deadline, not a count of polls: on a loaded machine (CI's two cores, parallel
        # workers) importing the app and migrating can take tens of seconds.
        deadline = asyncio.get_running_loop().time() + _START_TIMEOUT_S
        async with http_client() as client:
            while asyncio.get_running_loop().time() < deadline:
                if self.process.returncode is not None:
                    raise RuntimeError(f"the server exited with {self.process.returncode}")
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(f"{self.base_url}/health")).status_code == 200:
                        return
                if self.process.returncode is not None:
                    break
                await asyncio.sleep(0.05)
        raise RuntimeError(f"the server did not come up within {_START_TIMEOUT_S:g} s")

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            await asyncio.wait_for(self.process.wait(), 10)
