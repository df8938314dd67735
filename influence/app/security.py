"""The app's defences: access token, CSRF, security headers and the upload cap.

* **Access token** (when the app listens beyond this machine): every request must carry
  ``?token=...`` once (it is then kept in a strict, HTTP-only cookie); without it the answer is
  401, with a wrong one 403.
* **CSRF**: a random per-browser value in a strict cookie must come back with every
  state-changing request, in the ``X-CSRF-Token`` header (scripts) or the ``csrf`` form field
  (forms): the double-submit pattern. A request whose ``Origin`` is another site is refused too.
* **Headers**: a strict Content-Security-Policy (no inline script, nothing from elsewhere),
  ``X-Content-Type-Options``, ``Referrer-Policy``, ``X-Frame-Options``.
* **Uploads**: request bodies are capped (25 MB by default); a bigger one gets 413 before
  it is all read.
"""

from __future__ import annotations

import hmac
import secrets

UPLOAD_LIMIT = 25 * 1024 * 1024
CSRF_COOKIE = "influence_csrf"
TOKEN_COOKIE = "influence_token"
#: The app's own pages: scripts and styles from the app only, frames only the app's own pages.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; form-action 'self'; "
       "base-uri 'none'; object-src 'none'")
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class TooLarge(Exception):
    pass


def new_token() -> str:
    """A fresh secret for the URL (and for CSRF cookies)."""
    return secrets.token_urlsafe(24)


def same(a, b) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


class Guard:
    """ASGI middleware: token check, body cap, security headers."""

    def __init__(self, app, *, token=None, limit=UPLOAD_LIMIT, open_prefix=None):
        self.app = app
        self.token = token
        self.open_prefix = open_prefix  # pages that check keys of their own (the workshop)
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        from starlette.requests import Request
        from starlette.responses import PlainTextResponse

        request = Request(scope)
        set_token = False
        if self.token and not (self.open_prefix and scope["path"].startswith(self.open_prefix)):
            given = request.query_params.get("token")
            cookie = request.cookies.get(TOKEN_COOKIE)
            if given is not None and not same(given, self.token):
                return await PlainTextResponse(
                    "403 Forbidden: that access token is wrong. Use the address printed when "
                    "`influence app` started.", status_code=403)(scope, receive, send)
            if given is None and not same(cookie, self.token):
                return await PlainTextResponse(
                    "401 Unauthorized: this map needs its access token. Use the address "
                    "printed when `influence app` started (it ends in ?token=...).",
                    status_code=401)(scope, receive, send)
            set_token = given is not None and not same(cookie, self.token)
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > self.limit:
            return await PlainTextResponse(
                f"413: the upload is larger than {self.limit // (1024 * 1024)} MB. Fix: split "
                "the workbook or remove unused sheets.", status_code=413)(scope, receive, send)
        seen = 0

        async def limited_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise TooLarge()
            return message

        started = False

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                extra = [(b"x-content-type-options", b"nosniff"),
                         (b"referrer-policy", b"no-referrer"),
                         (b"cross-origin-opener-policy", b"same-origin")]
                if b"content-security-policy" not in names:
                    extra.append((b"content-security-policy", CSP.encode()))
                if b"x-frame-options" not in names:
                    extra.append((b"x-frame-options", b"SAMEORIGIN"))
                if set_token:
                    extra.append((b"set-cookie", (f"{TOKEN_COOKIE}={self.token}; Path=/; "
                                                  "HttpOnly; SameSite=Strict").encode()))
                message = {**message, "headers": headers + extra}
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except TooLarge:
            if not started:
                await PlainTextResponse(
                    f"413: the upload is larger than {self.limit // (1024 * 1024)} MB.",
                    status_code=413)(scope, receive, send)


def csrf_value(request) -> str:
    """The browser's CSRF value (from its cookie), or a new one to set."""
    value = request.cookies.get(CSRF_COOKIE)
    return value if value and len(value) >= 20 else new_token()


def set_csrf(response, value):
    response.set_cookie(CSRF_COOKIE, value, httponly=True, samesite="strict", path="/")
    return response


def check_csrf(request, form=None):
    """Raise 403 unless the request carries the browser's CSRF value and comes from this site."""
    from starlette.exceptions import HTTPException

    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("host", "")
        if origin.split("://", 1)[-1] != host:
            raise HTTPException(403, "Refused: this request came from another site.")
    cookie = request.cookies.get(CSRF_COOKIE)
    given = request.headers.get("x-csrf-token") or (form.get("csrf") if form else None)
    if not same(cookie, given):
        raise HTTPException(403, "Refused: the page was out of date (its security check did "
                                 "not match). Reload the page and try again.")
