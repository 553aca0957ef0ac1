"""How a simulated station moves files: over HTTP(S) for real when the CSMS gives such a URL
(Chargeyard's own upload and download URLs), else only pretending (FTP and test locations)."""

import httpx

_TIMEOUT_S = 30.0


def is_http(location: str) -> bool:
    return location.startswith(("http://", "https://"))


async def upload(location: str, filename: str, content: bytes) -> bool:
    """PUT the file where the CSMS asked; True when it was taken."""
    async with httpx.AsyncClient(timeout=_TIMEOUT_S) as client:
        try:
            answer = await client.put(location, params={"filename": filename}, content=content)
        except httpx.HTTPError:
            return False
    return answer.is_success


async def download(location: str) -> bytes | None:
    """GET a firmware image; None when it could not be fetched."""
    async with httpx.AsyncClient(timeout=_TIMEOUT_S) as client:
        try:
            answer = await client.get(location)
        except httpx.HTTPError:
            return None
    return answer.content if answer.is_success else None
