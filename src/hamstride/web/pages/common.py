"""What every page shares: HTML error pages, the current profile, rendering, charts."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Coroutine, Mapping
from typing import Any
from urllib.parse import urlencode

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from markupsafe import Markup, escape
from starlette.exceptions import HTTPException as StarletteHTTPException

from hamstride.accounts import Caller
from hamstride.errors import AuthError, HamstrideError
from hamstride.store import Store
from hamstride.web.templating import templates

log = logging.getLogger(__name__)

NAV = (("home", "/", "Today"), ("plan", "/plan", "Plan"), ("progress", "/progress", "Progress"),
       ("runs", "/runs", "Runs"), ("library", "/exercises", "Exercises"),
       ("check", "/check", "Check"))

_HTTP_TITLES = {404: "Not found", 405: "Not allowed", 413: "Too large", 422: "Not valid"}
_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_ID = re.compile(r' id="([^"]+)"')
_REFERENCE = re.compile(r'(?:href="#|url\(#)([^")]+)')


def render(request: Request, template: str, context: Mapping[str, Any], *,
           status_code: int = 200) -> HTMLResponse:
    """A page from ``template``; ``context`` needs at least ``title``."""
    values = {"nav": NAV, "active": "", "signed_in": signed_in(request),
              "coach_role": _role(request) == "coach", **context}
    response: HTMLResponse = templates.TemplateResponse(request, template, values,
                                                        status_code=status_code)
    return response


def signed_in(request: Request) -> str | None:
    """The e-mail of whoever is signed in (the header shows Settings and Log out), or None:
    accounts off, or nobody. The caller was worked out before the page (``pages.who``)."""
    if not request.app.state.settings.accounts:
        return None
    who = getattr(request.state, "caller", None)
    return who.email if isinstance(who, Caller) and who.email else None


def _role(request: Request) -> str | None:
    who = getattr(request.state, "caller", None)
    return who.role if isinstance(who, Caller) else None


def error_page(request: Request, status: int, message: str, *, title: str | None = None,
               kind: str = "") -> HTMLResponse:
    """The friendly page for an error: a title, the message, a way on; never a traceback."""
    if title is None:
        title = "No plan yet" if kind == "NoPlanError" else _HTTP_TITLES.get(
            status, "Something went wrong" if status >= 500 else "That did not work")
    return render(request, "error.html", {"title": title, "message": message, "kind": kind,
                                          "status": status}, status_code=status)


def login_redirect(request: Request) -> RedirectResponse:
    """Send a person who is not signed in to the log-in page, and back here after it."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?{urlencode({'next': here})}", status_code=303)


class PageRoute(APIRoute):
    """A route whose errors are HTML pages (the API's stay JSON)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except AuthError:
                return login_redirect(request)
            except HamstrideError as exc:
                return error_page(request, exc.status, exc.message, kind=type(exc).__name__)
            except RequestValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first.get("loc", ())[1:]) or "request"
                message = str(first.get("msg", "not valid")).removeprefix("Value error, ")
                return error_page(request, 422, f"{where}: {message}")
            except StarletteHTTPException as exc:
                return error_page(request, exc.status_code, str(exc.detail))
            except Exception:
                log.exception("page %s failed", request.url.path)
                return error_page(request, 500, "An unexpected error happened on our side. "
                                  "Your training log is safe; please try again.")

        return page_handler


def current_profile(store: Store) -> str | None:
    """The profile whose plan was made or changed last (the app's single runner)."""
    active = store.active_plan()
    return None if active is None else active.profile_name


def inline_svg(svg: bytes, label: str) -> Markup:
    """A chart's SVG (charts.py) ready to sit in a page: no XML prologue or metadata, a
    role and a label, and only the ids its own parts point at, so several charts on one
    page never repeat an id ("figure_1")."""
    text = _METADATA.sub("", _PROLOGUE.sub("", svg.decode("utf-8"), count=1), count=1)
    used = set(_REFERENCE.findall(text))
    text = _ID.sub(lambda found: found.group(0) if found.group(1) in used else "", text)
    text = text.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" class="chart" ', 1)
    return Markup(text)  # our own chart, drawn by matplotlib
