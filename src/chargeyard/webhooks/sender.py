"""The HTTP side of a delivery: one POST with an overall deadline and bounded sizes.

Never follows redirects (a redirect could lead inside the network) and ignores proxy variables.
When private targets are not allowed, it connects to the address the SSRF guard approved, keeping
the original host for the Host header and TLS (SNI and certificate checks).
"""

import asyncio
import time

import httpx

from chargeyard.settings import Settings
from chargeyard.webhooks.domain import Outcome, OutgoingRequest
from chargeyard.webhooks.targets import TargetRefused, parse_target, public_address


class Sender:
    def __init__(self, settings: Settings) -> None:
        self.timeout_s = settings.webhooks_timeout_s
        self.max_payload = settings.webhooks_max_payload_bytes
        self.max_response = settings.webhooks_max_response_bytes
        self.allow_private = settings.webhooks_allow_private_targets
        self.client = httpx.AsyncClient(
            timeout=httpx.Timeout(self.timeout_s),
            follow_redirects=False,
            trust_env=False,
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=50),
        )

    async def send(self, request: OutgoingRequest) -> Outcome:
        if len(request.body) > self.max_payload:
            return Outcome(
                None,
                0.0,
                error=f"payload of {len(request.body)} bytes exceeds {self.max_payload}",
                permanent=True,
            )
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self.timeout_s):
                status, body = await self._post(request)
        except TargetRefused as refused:
            return Outcome(None, _ms(started), error=f"refused: {refused.detail}")
        except TimeoutError:
            return Outcome(None, _ms(started), error=f"timeout after {self.timeout_s}s")
        except httpx.HTTPError as error:
            return Outcome(None, _ms(started), error=f"{type(error).__name__}: {error}"[:500])
        return Outcome(status, _ms(started), response_body=body)

    async def _post(self, request: OutgoingRequest) -> tuple[int, str]:
        url = parse_target(request.url)
        headers = dict(request.headers)
        extensions = {}
        if not self.allow_private:
            address = await public_address(url)
            headers["host"] = url.netloc.decode()
            if url.scheme == "https":
                extensions["sni_hostname"] = url.host
            url = url.copy_with(host=str(address))
        async with self.client.stream(
            "POST", url, content=request.body, headers=headers, extensions=extensions
        ) as response:
            body = await _read_limited(response, self.max_response)
        return response.status_code, body

    async def close(self) -> None:
        await self.client.aclose()


async def _read_limited(response: httpx.Response, limit: int) -> str:
    """At most `limit` bytes of the answer; the rest is not read."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_raw():
        chunks.append(chunk[: limit - size])
        size += len(chunks[-1])
        if size >= limit:
            break
    return b"".join(chunks).decode(errors="replace")


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
