"""Who is asking: an API token (``Authorization: Bearer ae_...``) or the server's own web pages.

Starting work (``POST /api/jobs``) needs one; a run started with one is private to it (other
tokens get 404, as for a run that does not exist). The pages get a session instead of a token:
a cookie (HttpOnly, SameSite=Strict) holding a random session id signed with a key kept in the
store, so sessions survive a restart. ``ASYLUM_WEB_SESSIONS`` says who gets one:

- ``loopback`` (default): only browsers on this machine (client address 127.0.0.1 / ::1). A
  server bound to loopback (``asylum serve``'s default) is then as open as the CLI on that
  machine; a browser reaching it from elsewhere gets no session and must use a token.
- ``all``: every visitor of the pages may start jobs (each session limited like a token):
  choose this only for a server meant to be open.
- ``off``: no sessions; only tokens start work.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets

from fastapi import Request, Response

from asylumengine.api.errors import ApiError
from asylumengine.store import tokens

COOKIE = "asylum_session"
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def _key(request: Request) -> bytes:
    app = request.app
    if getattr(app.state, "session_key", None) is None:
        app.state.session_key = bytes.fromhex(tokens.setting(app.state.store, "session_key", lambda: secrets.token_hex(32)))
    return app.state.session_key


def _sign(request: Request, sid: str) -> str:
    return hmac.new(_key(request), sid.encode(), hashlib.sha256).hexdigest()


def session_of(request: Request) -> str | None:
    raw = request.cookies.get(COOKIE, "")
    sid, _, sig = raw.partition(".")
    if len(sid) == 32 and sig and hmac.compare_digest(sig, _sign(request, sid)):
        return sid
    return None


def sessions_for(request: Request) -> bool:
    mode = os.environ.get("ASYLUM_WEB_SESSIONS", "loopback")
    host = request.client.host if request.client else ""
    return mode == "all" or (mode == "loopback" and host in LOOPBACK)


def issue_session(request: Request, response: Response) -> None:
    """Give a page's browser a session (when allowed and it has none), so the page's forms work."""
    if session_of(request) is None and sessions_for(request):
        sid = secrets.token_hex(16)
        response.set_cookie(COOKIE, f"{sid}.{_sign(request, sid)}", httponly=True, samesite="strict", max_age=30 * 86400, path="/")


def principal(request: Request) -> str | None:
    """'token:<id>' or 'web:<session>' for a valid credential; None without one; 401 for a bad token."""
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise ApiError(401, "Authorization: use 'Bearer <token>'", field="Authorization")
        try:
            return "token:" + tokens.verify(request.app.state.store, value.strip())
        except tokens.TokenError as exc:
            raise ApiError(401, f"Authorization: {exc}", field="Authorization") from None
    sid = session_of(request) if sessions_for(request) else None
    return f"web:{sid}" if sid else None


def require(request: Request) -> str:
    """The caller's identity, or 401: starting work needs a token (or the pages' session)."""
    who = principal(request)
    if who is None:
        raise ApiError(401, "this needs an API token: Authorization: Bearer <token> (create one with `asylum token create NAME`)",
                       field="Authorization")  # fmt: skip
    return who
