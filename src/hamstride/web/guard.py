"""The guard in front of the whole app (pages, API, static files, errors): a pure ASGI
middleware that makes the local single-user server safe to run next to a web browser.

- **Host check.** The server answers only to the host names in ``Settings.allowed_hosts``
  (the Host header without its port). Without it, a web page could point a DNS name of its
  own at 127.0.0.1 and read the runner's data through it (DNS rebinding). Refused: 400.
- **Cross-site check.** A change (POST, PUT, PATCH or DELETE) sent by a browser from
  another site is refused: otherwise any web page could carry a form that POSTs to /start
  and replaces the runner's plan. ``Sec-Fetch-Site`` (sent by every current browser) must
  say ``same-origin`` or ``none``; a page on another port of the same host is
  ``same-site``, another origin, so it is refused too. Without that header, ``Origin``
  (when sent) must be this server's own origin. A request with neither comes from curl, a
  script or a test client, not from a web page, and passes. Refused: 403.
- **Security headers** on every response: a Content-Security-Policy that allows no inline
  script (inline styles are allowed: the charts are matplotlib's inline SVG), no framing,
  no MIME sniffing, no Referer sent to other sites.

A refusal is the one JSON error shape (``errors.error_body``) under /api/, a short page
elsewhere. The checks read three headers and add five, so they cost next to nothing.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hamstride.web.errors import error_body

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
TRUSTED_FETCH_SITES = frozenset({"same-origin", "none"})  # none: typed or bookmarked
DEFAULT_PORTS = {"http": 80, "https": 443}
HOSTS_ENV = "HAMSTRIDE_ALLOWED_HOSTS"

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net "
            "https://fonts.googleapis.com; font-src 'self' https://fonts.gstatic.com; "
            "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; "
            "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
            "form-action 'self'; frame-ancestors 'none'")
"""Only for FastAPI's own API explorers (/docs, /redoc): their pages start Swagger UI and
ReDoc with an inline script and load them (and ReDoc's fonts) from a CDN. They show the
API's contract and hold none of the runner's data; every other path gets ``CSP``."""

_OTHER_HEADERS = (("x-frame-options", "DENY"), ("x-content-type-options", "nosniff"),
                  ("referrer-policy", "same-origin"))
_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")
_SHOWN = 100  # characters of a refused Host or Origin quoted back in a message


# -- host names -----------------------------------------------------------------------------

def _ip(text: str) -> str | None:
    try:
        return ipaddress.ip_address(text).compressed
    except ValueError:
        return None


def _name(text: str) -> str | None:
    """``text`` (lower case) as an IP address or a host name in canonical form (an IPv6
    address compressed, a host name without its final dot); None when it is neither."""
    found = _ip(text)
    if found is not None:
        return found
    text = text.removesuffix(".")
    if not text or len(text) > 253:
        return None
    return text if all(_LABEL.fullmatch(label) for label in text.split(".")) else None


def allowed_host_entry(text: str) -> str:
    """One entry of the allowed hosts in canonical form: a host name, an IP address (IPv6
    with or without brackets) or ``.domain`` for the domain and all its subdomains.
    ValueError, saying what is wrong, when it is none of them."""
    entry = text.strip().lower()
    if entry.startswith("[") and entry.endswith("]"):
        entry = entry[1:-1]
    domain = entry.startswith(".")
    found = _name(entry[1:] if domain else entry)
    if found is None or (domain and _ip(found) is not None):
        raise ValueError(f"{text.strip()!r} is not a host name, an IP address or .domain "
                         "(no scheme, no port, no path)")
    return "." + found if domain else found


def split_host(value: str) -> tuple[str, int | None] | None:
    """A Host header (or an origin's host part), its port stripped: the canonical host
    and the port (None when not given). An IPv6 address comes in brackets
    (``[::1]:8000``). None when the value is not a host."""
    value = value.strip().lower()
    port_text = ""
    if value.startswith("["):
        host, bracket, rest = value[1:].partition("]")
        if not bracket or _ip(host) is None or (rest and not rest.startswith(":")):
            return None
        port_text = rest[1:] if rest else ""
        if rest and not port_text:
            return None
    elif value.count(":") > 1:  # a bare IPv6 address: not valid HTTP, but unambiguous
        host = value
    else:
        host, colon, port_text = value.partition(":")
        if colon and not port_text:
            return None
    port = None
    if port_text:
        if not (port_text.isascii() and port_text.isdigit() and int(port_text) <= 65535):
            return None
        port = int(port_text)
    name = _name(host)
    return None if name is None else (name, port)


def _shown(text: str) -> str:
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


# -- the middleware ---------------------------------------------------------------------------

class Guard:
    """The host check, the cross-site check and the security headers (module docstring).
    ``docs_paths`` are the paths of the API explorers, which get ``DOCS_CSP``."""

    def __init__(self, app: ASGIApp, *, allowed_hosts: Iterable[str],
                 docs_paths: Iterable[str] = ()) -> None:
        self.app = app
        entries = [allowed_host_entry(entry) for entry in allowed_hosts]
        self.hosts = frozenset(e for e in entries if not e.startswith("."))
        self.domains = tuple(e for e in entries if e.startswith("."))
        self.docs_paths = frozenset(docs_paths)
        self.headers = self._encoded(CSP)
        self.docs_headers = self._encoded(DOCS_CSP)

    @staticmethod
    def _encoded(csp: str) -> list[tuple[bytes, bytes]]:
        pairs = (("content-security-policy", csp), *_OTHER_HEADERS)
        return [(name.encode(), value.encode()) for name, value in pairs]

    def host_allowed(self, host: str) -> bool:
        return host in self.hosts or any(host == d[1:] or host.endswith(d)
                                         for d in self.domains)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan (the app has no websockets)
            await self.app(scope, receive, send)
            return
        extra = self.docs_headers if scope["path"] in self.docs_paths else self.headers
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers += [pair for pair in extra if pair[0] not in present]
                message = {**message, "headers": headers}
            await send(message)

        refusal = self.refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
            return
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if not started:  # a bug: answer here, so that the 500 has the headers too
                await _internal_error(scope)(scope, receive, send_with_headers)
            raise  # for the server's log (Starlette's own handler sees the answer went)

    def refusal(self, scope: Scope) -> Response | None:
        """The answer to a request the guard refuses; None when it may go on."""
        host_header: str | None = None
        hosts = 0
        origin = fetch_site = None
        for name, value in scope["headers"]:
            if name == b"host":
                hosts += 1
                host_header = value.decode("latin-1")
            elif name == b"origin":
                origin = value.decode("latin-1")
            elif name == b"sec-fetch-site":
                fetch_site = value.decode("latin-1").strip().lower()
        found = split_host(host_header) if host_header is not None and hosts == 1 else None
        if found is None or not self.host_allowed(found[0]):
            return _host_error(scope, host_header if hosts == 1 else None)
        if scope["method"] not in UNSAFE_METHODS:
            return None
        if fetch_site is not None:
            if fetch_site in TRUSTED_FETCH_SITES:
                return None
            return _cross_site_error(scope, "Sec-Fetch-Site", fetch_site, found)
        if origin is not None and _origin(origin) != _own_origin(scope, found):
            return _cross_site_error(scope, "Origin", origin, found)
        return None


def _origin(value: str) -> tuple[str, str, int] | None:
    """An Origin header as (scheme, host, port); None for "null" or anything else."""
    parts = urlsplit(value.strip().lower())
    if parts.scheme not in DEFAULT_PORTS or parts.path or parts.query or parts.fragment:
        return None
    found = split_host(parts.netloc) if "@" not in parts.netloc else None
    if found is None:
        return None
    return parts.scheme, found[0], found[1] or DEFAULT_PORTS[parts.scheme]


def _own_origin(scope: Scope, host: tuple[str, int | None]) -> tuple[str, str, int]:
    """This server's origin as the browser sees it: the scheme served and the Host."""
    scheme = "https" if scope.get("scheme") == "https" else "http"
    return scheme, host[0], host[1] or DEFAULT_PORTS[scheme]


def _for_api(scope: Scope) -> bool:
    path: str = scope["path"]
    return path.startswith("/api/")


def _host_error(scope: Scope, host: str | None) -> Response:
    if host is None:
        message = ("Refused: the request needs exactly one Host header naming this "
                   "server (like 127.0.0.1:8000).")
    else:
        shown = _shown(host.strip())
        bare = split_host(host)
        name = bare[0] if bare else shown
        message = (f"Refused: this server does not answer to the host {shown!r}. If that "
                   f"name is yours, allow it: add it to {HOSTS_ENV} (comma-separated) or "
                   f"run `hamstride serve --allowed-host {name}`.")
    if _for_api(scope):
        return JSONResponse(error_body("HostError", message, "Host"), status_code=400)
    # plain text, never a page: a page's links would carry the refused host name
    return PlainTextResponse(message, status_code=400)


def _cross_site_error(scope: Scope, header: str, value: str,
                      host: tuple[str, int | None]) -> Response:
    scheme = _own_origin(scope, host)[0]
    name = f"[{host[0]}]" if ":" in host[0] else host[0]
    own = f"{scheme}://{name}" + (f":{host[1]}" if host[1] else "")
    message = (f"Refused: this change was sent from another web site ({header}: "
               f"{_shown(value.strip())}), and only hamstride's own pages may change your "
               f"profile, plan or log. Nothing was changed; to make the change, open "
               f"{own}/ and do it there.")
    if _for_api(scope):
        return JSONResponse(error_body("CrossSiteError", message, header), status_code=403)
    from hamstride.web.pages.common import error_page  # the friendly page, as errors.py

    return error_page(Request(scope), 403, message, title="Refused: sent from another site")


def _internal_error(scope: Scope) -> Response:
    message = "An unexpected error happened on our side; please try again."
    if _for_api(scope):
        return JSONResponse(error_body("InternalError", message, None), status_code=500)
    return PlainTextResponse(message, status_code=500)
