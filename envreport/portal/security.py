"""The portal's defences that sit in front of every route.

- :class:`SecurityHeaders`: a strict Content-Security-Policy (nothing from elsewhere, no
  inline script, no framing), ``X-Content-Type-Options: nosniff``, no referrer, no caching
  of pages that show submissions.
- :class:`BodyLimit`: a request body larger than the upload cap is refused with 413 before
  it is parsed, whether or not it declares its length.
- Sessions: a signed, time-limited cookie (``itsdangerous``) that holds the user name and the
  session's CSRF token; ``HttpOnly``, ``SameSite=Lax`` and ``Secure`` when served over HTTPS.
- :class:`LoginThrottle`: failed logins per client address and per user name are counted in
  a sliding window; beyond the limit every attempt is refused for the rest of the window.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi.exceptions import RequestValidationError
from itsdangerous import BadSignature, URLSafeTimedSerializer

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Nothing is loaded from anywhere but this server; no inline script; no plugin; no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
# The OpenAPI page loads its viewer from a CDN; the portal serves only the raw description,
# so the docs UI is disabled rather than the policy loosened.

SESSION_COOKIE = "envreport_session"
LANG_COOKIE = "envreport_lang"
SESSION_MAX_AGE = 8 * 3600  # a working day; then log in again


class SecurityHeaders:
    """Add the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                if b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLargeError(Exception):
    """The request body passed the cap while it was being read."""


class BodyLimit:
    """Refuse request bodies above ``max_bytes`` with 413, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _plain(send, 413, "Request body too large.")
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLargeError
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLargeError:
            if not started:
                await _plain(send, 413, "Request body too large.")


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


@dataclass(frozen=True)
class Session:
    """What the session cookie carries: who is logged in and the session's CSRF token."""

    user: str | None
    csrf: str

    @classmethod
    def anonymous(cls) -> Session:
        return cls(None, secrets.token_urlsafe(32))


class SessionCodec:
    """Sign and check session cookies (tamper-proof, expiring after ``max_age`` seconds)."""

    def __init__(self, secret: str, max_age: int = SESSION_MAX_AGE) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="envreport-session")
        self.max_age = max_age

    def dumps(self, session: Session) -> str:
        return self._serializer.dumps({"u": session.user, "c": session.csrf})

    def loads(self, cookie: str | None) -> Session | None:
        if not cookie:
            return None
        try:
            data = self._serializer.loads(cookie, max_age=self.max_age)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("c"), str):
            return None
        user = data.get("u")
        return Session(user if isinstance(user, str) else None, data["c"])


def csrf_matches(expected: str, given: str | None) -> bool:
    """Constant-time comparison of the session's CSRF token with the form's."""
    return bool(given) and hmac.compare_digest(expected.encode(), str(given).encode())


class LoginThrottle:
    """Count failed logins per key (client address, user name) in a sliding window."""

    def __init__(self, max_failures: int = 5, window_seconds: float = 300.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_failures = max_failures
        self.window = window_seconds
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def blocked(self, *keys: str) -> bool:
        """True when any key has used up its failures within the window."""
        now = self._clock()
        with self._lock:
            return any(len(self._recent(k, now)) >= self.max_failures for k in keys)

    def failed(self, *keys: str) -> None:
        now = self._clock()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)


def refuse_nul_in_request(fields: Iterable[tuple[tuple[str, ...], object]]) -> None:
    """The portal's one NUL check, for the address, a form and a JSON body: ``fields`` are
    (where, value) pairs, ``where`` as FastAPI locates a request's parts (``("query",
    "entity")``, ``("body", "comment")``). A text holding a NUL character, which PostgreSQL
    cannot store or even compare (``?entity=%00``, a login name or a review comment with one
    ended in a database exception, 500), makes the request malformed on every ledger alike:
    :class:`RequestValidationError`, which the app answers 400 on a page, 422 in the API."""
    for where, text in fields:
        if isinstance(text, str) and "\x00" in text:
            raise RequestValidationError([{"loc": where, "type": "value_error",
                                           "msg": "a NUL character in the text"}])


def shown_filename(name: str, default: str) -> str:
    """An uploaded file's name as its owner wrote it (丝路能源2024年报.xlsx), for the pages,
    the findings and the ledger: its last path part, without control or format characters
    (a NUL, a direction override), at most 80 characters and 200 bytes of UTF-8 (a file
    name on disk holds 255). Headers and paths take :func:`safe_filename` of it."""
    import unicodedata

    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    stem, dot, extension = kept.rpartition(".")
    if not dot or len(extension) > 10:
        stem, dot, extension = kept, "", ""
    while stem and (len(stem) + len(dot + extension) > 80
                    or len((stem + dot + extension).encode()) > 200):
        stem = stem[:-1]  # cut the stem, keep the type (.xlsx)
    kept = stem + dot + extension
    return default if kept in ("", ".", "..") else kept


_UNSAFE_NAME = str.maketrans({c: "_" for c in '\\/:*?"<>|\r\n\t;,\x00'})


def safe_filename(name: str, default: str = "download") -> str:
    """A download file name with no path, no quotes, no control characters, ASCII only.

    The name goes into ``Content-Disposition``; anything outside letters, digits, ``-``,
    ``_`` and ``.`` becomes ``_`` so the header cannot be split or the file placed elsewhere.
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1].translate(_UNSAFE_NAME)
    cleaned = "".join(c if (c.isascii() and (c.isalnum() or c in "-_.")) else "_" for c in base)
    stem, dot, extension = cleaned.rpartition(".")
    if dot and extension.isalnum() and not stem.strip("._"):
        # nothing of the name was ASCII (丝路能源.xlsx → ____.xlsx): it was cut to "xlsx",
        # and an upload so named was refused as no workbook; the default's stem, its type
        return f"{default.rsplit('.', 1)[0]}.{extension}"[:120]
    cleaned = cleaned.strip("._") or default
    return cleaned[:120]


def content_disposition(name: str, default: str) -> str:
    """The ``Content-Disposition`` of a download named ``name`` (RFC 6266): an attachment
    with an ASCII ``filename`` for old clients (:func:`safe_filename`, ``default`` when
    nothing of the name is ASCII) and the name as its owner wrote it, UTF-8 and
    percent-encoded (RFC 5987), as ``filename*``, which browsers prefer: 丝路能源.xlsx
    downloaded as ``submission.xlsx`` before. Control characters are dropped first
    (:func:`shown_filename`); a quote, a semicolon or a space is percent-encoded in
    ``filename*`` and a ``_`` in ``filename``, so no name can close the parameter, add
    one or split the header."""
    shown = shown_filename(name, default)
    return (f'attachment; filename="{safe_filename(shown, default)}"; '
            f"filename*=UTF-8''{quote(shown, safe='')}")
