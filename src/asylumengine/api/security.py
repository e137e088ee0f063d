"""Limits and headers on every request: body size before anything reads it, and security headers
(a Content-Security-Policy among them) on every answer.

The pages load only their own scripts and styles (``/static``, the packaged plotly.js): the CSP
allows scripts from this origin alone. Plotly sets inline style attributes on the charts, hence
``style-src 'unsafe-inline'`` (styles cannot run code). The API docs page (Swagger UI) starts
with one inline script: it is allowed by its sha256 only (``docs_csp``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re

MAX_BODY = 1024 * 1024  # JSON and YAML bodies; cases and scenarios are far smaller
MAX_UPLOAD = 65 * 1024 * 1024  # the population upload (64 MiB file plus its form envelope)
UPLOAD_PATHS = ("/api/routes/population",)

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")  # fmt: skip
HEADERS = {"x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "no-referrer",
           "cross-origin-opener-policy": "same-origin", "cross-origin-resource-policy": "same-origin",
           "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()"}  # fmt: skip


def docs_csp(html: str) -> str:
    """The CSP for a page whose inline scripts are its own: each allowed by its sha256."""
    hashes = " ".join("'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
                      for s in re.findall(r"<script>(.*?)</script>", html, flags=re.S))  # fmt: skip
    return CSP.replace("script-src 'self'", f"script-src 'self' {hashes}")


class BodyTooLarge(Exception):
    pass


def _limit(path: str) -> int:
    return MAX_UPLOAD if path in UPLOAD_PATHS else MAX_BODY


async def _refuse(send, limit: int) -> None:
    body = json.dumps({"error": f"request body larger than {limit // 1024} KiB", "detail": [{"field": "body",
                       "message": f"larger than {limit // 1024} KiB"}]}).encode()  # fmt: skip
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), (b"connection", b"close")]
    headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """ASGI middleware: 413 for a body over the limit (by Content-Length, or counted as it streams
    in), and the security headers on every response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = _limit(scope["path"])
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            return await _refuse(send, limit)
        seen, started = 0, False

        async def counted():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge
            return message

        async def with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                have = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in {**HEADERS, "content-security-policy": CSP}.items() if k.encode() not in have]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, counted, with_headers)
        except BodyTooLarge:
            if not started:
                await _refuse(send, limit)
