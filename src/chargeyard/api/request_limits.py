"""What every HTTP request is held to before any endpoint sees it: a body no larger than
`Settings.api_max_body_bytes` (413; file uploads, named by path prefix, have a larger limit of
their own), no NUL character in its path or query string (400),
which PostgreSQL cannot store or compare and a station id must never hold, and a JSON body whose
strings are Unicode (422): JSON may escape half of a surrogate pair alone (`"\\ud800"`), which
Python parses into a string that no database driver, header or JSON response can encode, so a
row holding one could be stored by one driver and never read back. All are answered as problem
documents on a connection that stays open."""

import json
import re
from typing import Any

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
        receive = self._counting(receive, limit)
        if _is_json(scope):
            try:
                body = await _whole_body(receive)
            except HTTPException:  # the body grew past the limit
                await self._too_large(limit)(scope, receive, send)
                return
            if not _unicode(body):
                detail = (
                    "body: a string holds an unpaired UTF-16 surrogate escape (\\ud800-\\udfff)"
                )
                errors = [{"location": "body", "message": detail.removeprefix("body: ")}]
                await problem(422, "Invalid input", detail, errors=errors)(scope, receive, send)
                return
            receive = _replaying(body, receive)
        await self.app(scope, receive, send)

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


# A `\uD800`-`\uDFFF` escape not preceded by an escaping backslash: the only way a JSON text
# (which is UTF-8 here, where surrogates cannot be encoded) can carry a surrogate.
_SURROGATE_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _is_json(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-type":
            media_type: bytes = value.split(b";", 1)[0].strip().lower()
            return media_type == b"application/json" or media_type.endswith(b"+json")
    return False


async def _whole_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """`receive` that hands the endpoint the body already read, then what follows it (a
    disconnect)."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


def _unicode(body: bytes) -> bool:
    """Whether every string of the JSON body is Unicode: the whole body is parsed only when a
    surrogate escape appears in it (a pair, as `json.dumps` writes any character beyond the
    BMP, is fine; half of one is not). A body that is not JSON at all passes, for FastAPI to
    refuse with its usual answer."""
    if _SURROGATE_ESCAPE.search(body) is None:
        return True
    try:
        parsed = json.loads(body)
    except ValueError:
        return True
    return _all_unicode(parsed)


def _all_unicode(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_all_unicode(k) and _all_unicode(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_all_unicode(item) for item in value)
    return True
