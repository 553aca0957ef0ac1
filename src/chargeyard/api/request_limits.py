"""What every HTTP request is held to before any endpoint sees it: a body no larger than
`Settings.api_max_body_bytes` (413; file uploads, named by path prefix, have a larger limit of
their own), and no NUL character in its path or query string (400),
which PostgreSQL cannot store or compare and a station id must never hold. Both are answered as
problem documents on a connection that stays open."""

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chargeyard.api.problems import problem


class RequestLimits:
    """Pure ASGI middleware (it must see the body as it streams, before FastAPI reads it whole)."""

    def __init__(
        self,
        app: ASGIApp,
        max_body_bytes: int,
        upload_paths: tuple[str, ...] = (),
        max_upload_bytes: int = 0,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.upload_paths = upload_paths
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query: bytes = scope.get("query_string", b"")
        if "\x00" in scope["path"] or b"\x00" in query or b"%00" in query:
            await problem(400, "Bad request", "a NUL character in the path or query")(
                scope, receive, send
            )
            return
        limit = self._limit(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await self._too_large(limit)(scope, receive, send)
            return
        await self.app(scope, self._counting(receive, limit), send)

    def _limit(self, path: str) -> int:
        if self.upload_paths and path.startswith(self.upload_paths):
            return max(self.max_body_bytes, self.max_upload_bytes)
        return self.max_body_bytes

    def _too_large(self, limit: int) -> JSONResponse:
        return problem(
            413, "Request body too large", f"a request body may have at most {limit} bytes"
        )

    def _counting(self, receive: Receive, limit: int) -> Receive:
        """`receive` that refuses a body (sent without or beyond its Content-Length) once it
        grows past the limit: FastAPI lets an HTTPException raised while it reads through to the
        problem handlers."""
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise HTTPException(413, f"a request body may have at most {limit} bytes")
            return message

        return counted


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
