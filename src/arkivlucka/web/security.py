"""Workbench stage, security: who may use the local server, and what it accepts.

- The server binds 127.0.0.1 only; the Host header must name it (no DNS rebinding).
- Every request carries the server's random token: in the address the first time (as a
  notebook server does), then in a cookie (HttpOnly, SameSite=Strict) set from it.
- Every form post carries a CSRF token (derived from the server token) and, when the
  browser sends one, an Origin of this server.
- An upload is capped in size and checked by its content, and its name is never used.
- Every response carries a Content-Security-Policy: scripts, styles and requests from this
  server only (the page's one script is ``static/live.js``), no inline script, no framing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

COOKIE = "arkivlucka-token"
#: what a page may load: only this server's own files; no inline script or style, no frames
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
LOCAL_HOSTS = ("127.0.0.1", "localhost")
Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Any]


def new_token() -> str:
    """A random token for the server's address (256 bits)."""
    return secrets.token_urlsafe(32)


def csrf_token(token: str) -> str:
    """The CSRF token every form of a server with ``token`` carries."""
    return hmac.new(token.encode(), b"arkivlucka-csrf", hashlib.sha256).hexdigest()


def same(a: str | None, b: str) -> bool:
    """Whether ``a`` is ``b``, compared in constant time."""
    return a is not None and hmac.compare_digest(a.encode(), b.encode())


def _cookies(header: str) -> dict[str, str]:
    out = {}
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        out[key] = value
    return out


def _host_name(host: str) -> str:
    return host.rsplit(":", 1)[0] if not host.startswith("[") else host


class TokenGuard:
    """ASGI middleware: refuse requests without the token or for another host."""

    def __init__(self, app: ASGIApp, token: str, max_body: int = 64 * 2**20) -> None:
        """Guard ``app`` with ``token``; a request body over ``max_body`` bytes is cut off."""
        self.app = app
        self.token = token
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        """Let a request through only with the token, from a browser on this machine."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        host = _host_name(headers.get("host", ""))
        if host not in LOCAL_HOSTS:
            await _plain(send, 421, "Wrong host: this server answers on 127.0.0.1 only.")
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        cookie = _cookies(headers.get("cookie", "")).get(COOKIE)
        if same(query.get("token"), self.token):
            if not same(cookie, self.token):
                rest = urlencode({k: v for k, v in query.items() if k != "token"})
                await _redirect_with_cookie(send, scope["path"] + (f"?{rest}" if rest else ""),
                                            self.token)  # fmt: skip
                return
        elif not same(cookie, self.token):
            await _plain(
                send, 403, "Forbidden: open the address with its token (see the terminal)."
            )
            return
        origin = headers.get("origin")
        if (
            scope["method"] == "POST"
            and origin
            and _host_name(origin.split("://")[-1]) not in LOCAL_HOSTS
        ):
            await _plain(send, 403, "Forbidden: a form from another site.")
            return
        await self.app(scope, _capped(receive, self.max_body), _with_policy(send))


def _with_policy(send: Any) -> Any:
    """``send`` that adds the Content-Security-Policy (and no-sniff) to the response."""

    async def wrapped(message: Any) -> None:
        if message.get("type") == "http.response.start":
            headers = list(message.get("headers", []))
            headers += [(b"content-security-policy", CSP.encode()),
                        (b"x-content-type-options", b"nosniff")]  # fmt: skip
            message = {**message, "headers": headers}
        await send(message)

    return wrapped


class BodyTooLarge(Exception):
    """A request body went over the cap (also without a Content-Length header)."""


def _capped(receive: Any, limit: int) -> Any:
    """``receive`` that raises ``BodyTooLarge`` once more than ``limit`` bytes came in."""
    seen = [0]

    async def wrapped() -> Any:
        message = await receive()
        if message.get("type") == "http.request":
            seen[0] += len(message.get("body", b""))
            if seen[0] > limit:
                raise BodyTooLarge(f"request body over {limit} bytes")
        return message

    return wrapped


async def _plain(send: Any, status: int, text: str) -> None:
    body = text.encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
    ]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})


async def _redirect_with_cookie(send: Any, location: str, token: str) -> None:
    cookie = f"{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/"
    await send({"type": "http.response.start", "status": 303, "headers": [
        (b"location", location.encode("latin-1")), (b"set-cookie", cookie.encode("latin-1")),
        (b"content-length", b"0"),
    ]})  # fmt: skip
    await send({"type": "http.response.body", "body": b""})


#: what an upload may be, by its content (``form.read.detect_kind``)
UPLOAD_KINDS = ("txt", "pdf", "docx", "png", "jpg", "tif")
_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"II*\x00", "tif"),
    (b"MM\x00*", "tif"),
)


def upload_kind(data: bytes) -> str | None:
    """The kind of an uploaded form by its content, or None when it is not one arkivlucka reads."""
    from arkivlucka.form.read import detect_kind

    if not data.strip():
        return None
    kind = detect_kind(data)
    if kind == "image":  # a scan, read by OCR: named by its own format
        kind = next((ext for magic, ext in _IMAGES if data.startswith(magic)), "other")
    return kind if kind in UPLOAD_KINDS else None
