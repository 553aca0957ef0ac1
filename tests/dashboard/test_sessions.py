"""Session cookies and CSRF tokens: genuine ones pass, anything altered, expired or foreign
does not."""

from datetime import UTC, datetime, timedelta

from chargeyard.dashboard.sessions import SESSION_LIFETIME, SessionKeys

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
KEYS = SessionKeys(b"k" * 64)


def test_a_session_cookie_round_trips() -> None:
    cookie, claims = KEYS.issue("user-1", "org-1", "$argon2id$hash", NOW)
    assert KEYS.verify(cookie, NOW + timedelta(hours=1)) == claims
    assert claims.password_fingerprint == KEYS.fingerprint("$argon2id$hash")
    assert KEYS.fingerprint("$argon2id$other") != claims.password_fingerprint


def test_altered_expired_or_foreign_cookies_are_refused() -> None:
    cookie, _ = KEYS.issue("user-1", "org-1", "hash", NOW)
    payload, _, signature = cookie.partition(".")
    assert KEYS.verify(payload[:-2] + "xx." + signature, NOW) is None
    assert KEYS.verify(cookie + "x", NOW) is None
    assert KEYS.verify("garbage", NOW) is None
    assert KEYS.verify(cookie, NOW + SESSION_LIFETIME + timedelta(seconds=1)) is None
    assert SessionKeys(b"z" * 64).verify(cookie, NOW) is None


def test_csrf_tokens_belong_to_one_session() -> None:
    _, one = KEYS.issue("user-1", "org-1", "hash", NOW)
    _, two = KEYS.issue("user-1", "org-1", "hash", NOW)
    assert KEYS.csrf_matches(one, KEYS.csrf_token(one))
    assert not KEYS.csrf_matches(one, KEYS.csrf_token(two))
    assert not KEYS.csrf_matches(one, "")


def test_sign_in_tokens_expire() -> None:
    token = KEYS.sign_in_token(NOW)
    assert KEYS.sign_in_token_valid(token, NOW + timedelta(minutes=30))
    assert not KEYS.sign_in_token_valid(token, NOW + timedelta(hours=3))
    assert not KEYS.sign_in_token_valid(token.replace(".", ".x"), NOW)
    assert not KEYS.sign_in_token_valid("nonsense", NOW)


def test_the_cookie_is_secure_over_tls() -> None:
    from types import SimpleNamespace

    from starlette.requests import Request
    from starlette.responses import Response

    from chargeyard.dashboard.sign_in import start_session

    app = SimpleNamespace(state=SimpleNamespace(dashboard_keys=KEYS))
    user = SimpleNamespace(id="user-1", organization_id="org-1", password_hash="hash")
    cookies = {}
    for scheme in ("http", "https"):
        scope = {"type": "http", "scheme": scheme, "app": app, "headers": [], "path": "/"}
        response = Response()
        start_session(Request(scope), response, user, NOW)  # type: ignore[arg-type]
        cookies[scheme] = response.headers["set-cookie"].lower()
    assert "secure" in cookies["https"] and "secure" not in cookies["http"]
    assert all("httponly" in c and "samesite=lax" in c for c in cookies.values())
