"""The operator's side: what a tester does in the CSMS's UI during an OCTT run ("Manual
Action: trigger the CSMS to ..."), done through Chargeyard's REST API.

Only cases that need the CSMS to act (send a command, know a blocked tag) use it; without
`--api-token` they are reported not applicable.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from chargeyard.conformance.case import CaseFailed


def api_root(api_url: str) -> str:
    """`http://host` or `http://host/api/v1`, either way the API's root."""
    root = api_url.rstrip("/")
    return root if root.endswith("/api/v1") else f"{root}/api/v1"


class OperatorApi:
    def __init__(self, api_url: str, token: str, timeout_s: float = 30.0) -> None:
        self._client = httpx.AsyncClient(
            base_url=api_root(api_url),
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout_s + 5,
        )
        self.timeout_s = timeout_s

    async def aclose(self) -> None:
        await self._client.aclose()

    async def create_tag(
        self, value: str, status: str = "Accepted", expires_at: datetime | None = None
    ) -> str:
        body: dict[str, Any] = {"value": value, "status": status}
        if expires_at is not None:
            body["expires_at"] = expires_at.isoformat()
        answer = await self._request("POST", "/id-tags", body)
        return str(answer["id"])

    async def delete_tag(self, tag_id: str) -> None:
        await self._request("DELETE", f"/id-tags/{tag_id}")

    async def transactions(self, station_id: str) -> list[dict[str, Any]]:
        """The station's running transactions, as the API lists them."""
        params = {"station_id": station_id, "active": "true"}
        answer = await self._request("GET", "/transactions", params=params)
        items = answer.get("items", [])
        return items if isinstance(items, list) else []

    async def set_password(self, station_id: str, password: str) -> None:
        await self._request("POST", f"/stations/{station_id}/password", {"password": password})

    async def command(
        self, station_id: str, name: str, body: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Have the CSMS send a command and wait for the station's answer; the command's
        answer as the API gives it (`status`, `response`)."""
        path = f"/stations/{station_id}/commands/{name}"
        params = {"wait": "true"}
        return await self._request("POST", path, body or {}, params)

    async def _request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        try:
            response = await self._client.request(method, path, json=body, params=params)
        except httpx.HTTPError as error:
            raise CaseFailed(f"{method} {path}: {error!r}") from error
        if response.status_code >= 400:
            raise CaseFailed(f"{method} {path}: HTTP {response.status_code} {_detail(response)}")
        if response.status_code == 204 or not response.content:
            return {}
        answer = response.json()
        return answer if isinstance(answer, dict) else {"items": answer}


def _detail(response: httpx.Response) -> str:
    try:
        problem = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(problem, dict):
        return str(problem.get("detail") or problem.get("title") or problem)
    return str(problem)[:200]
