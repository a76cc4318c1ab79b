"""One place maps errors to HTTP. Every error body has the same shape:

    {"error": {"type": "ProfileError", "message": "...", "field": "level" | null,
               "problems": [{"field": "level", "message": "..."}, ...]}}

The client's fault is 4xx (the status is the exception class's ``status``); a request
that does not parse is 422 with the first bad field named in ``field`` and every bad
field in ``problems`` (empty when the error is about no field). An error that says
when to try again (``RateLimitError``, 429) adds a ``Retry-After`` header. HTML pages get
the same message in a page.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from hamstride.errors import HamstrideError


def error_body(kind: str, message: str, field: str | None,
               problems: Sequence[tuple[str, str]] | None = None) -> dict[str, object]:
    """The one error shape; ``problems`` defaults to the one field's message."""
    if problems is None:
        problems = [(field, message)] if field else []
    return {"error": {"type": kind, "message": message, "field": field,
                      "problems": [{"field": f, "message": m} for f, m in problems]}}


def _location(loc: tuple[object, ...]) -> str:
    parts = [p for p in loc if p not in ("body", "query", "path", "header")]
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)
    return text.lstrip(".") or "(request)"


async def _domain(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HamstrideError)
    found = [(p.field, p.message) for p in exc.problems] or None
    return JSONResponse(error_body(type(exc).__name__, exc.message, exc.field, found),
                        status_code=exc.status, headers=error_headers(exc))


def error_headers(exc: HamstrideError) -> dict[str, str] | None:
    """``Retry-After`` (whole seconds) for an error that says when to try again
    (``RateLimitError.retry_after``), ``WWW-Authenticate`` for a 401; None otherwise."""
    if exc.status == 401:
        return {"WWW-Authenticate": 'Bearer realm="hamstride"'}
    retry_after = getattr(exc, "retry_after", None)
    if isinstance(retry_after, int) and not isinstance(retry_after, bool):
        return {"Retry-After": str(max(1, retry_after))}
    return None


async def _invalid(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0]
    if first.get("type") == "json_invalid":  # its loc holds a character position
        return JSONResponse(error_body("RequestError", "the request body is not valid JSON",
                                       None), status_code=422)
    found = [(_location(tuple(e.get("loc", ()))),
              str(e.get("msg", "invalid")).removeprefix("Value error, ")) for e in exc.errors()]
    where, message = found[0]
    return JSONResponse(error_body("RequestError", f"{where}: {message}", where, found),
                        status_code=422)


def not_found(path: str) -> str:
    return f"Not found: there is nothing at {path}."


async def _http(request: Request, exc: Exception) -> Response:
    """No such route or method: JSON for the API, the friendly page for a person."""
    assert isinstance(exc, StarletteHTTPException)
    message = str(exc.detail)
    if exc.status_code == 404:  # one wording for pages and API alike (not Starlette's)
        message = not_found(request.url.path)
    wants_page = (not request.url.path.startswith("/api/")
                  and "text/html" in request.headers.get("accept", ""))
    if wants_page:
        from hamstride.web.pages.common import error_page

        return error_page(request, exc.status_code, message)
    return JSONResponse(error_body("HTTPError", message, None),
                        status_code=exc.status_code, headers=getattr(exc, "headers", None))


def install(app: FastAPI) -> None:
    app.add_exception_handler(HamstrideError, _domain)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(StarletteHTTPException, _http)
