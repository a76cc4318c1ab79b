"""Stopping the mails from a link in one of them, without logging in.

``GET /unsubscribe/{secret}`` only shows a button: mail scanners and link previews open
every link of a mail, and must not unsubscribe anyone. ``POST`` turns the account's
digest and reminders off; it is both that button and the RFC 8058 one-click unsubscribe a
mail provider sends (``List-Unsubscribe=One-Click`` in the body, no cookie, no
``Origin``, which the guard lets through as it does any request without a browser's
headers). The secret is the only proof needed, so the body is not read. An unknown or
expired link is a 404 page.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from hamstride import accounts
from hamstride.errors import NotFoundError
from hamstride.store import Store
from hamstride.web.auth import address
from hamstride.web.pages.common import PageRoute, error_page, render

router = APIRouter(route_class=PageRoute)
# the page's address holds the secret: no Referer, no cache
PRIVATE = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


def _page(request: Request, *, done: bool, email: str, token: str) -> HTMLResponse:
    context: dict[str, Any] = {"title": "Unsubscribed" if done else "Stop the e-mails",
                               "done": done, "email": email, "token": token, "nav": ()}
    response = render(request, "account/unsubscribe.html", context)
    response.headers.update(PRIVATE)
    return response


def _unknown(request: Request, exc: NotFoundError) -> HTMLResponse:
    response = error_page(request, 404, exc.message, title="Unknown unsubscribe link")
    response.headers.update(PRIVATE)
    return response


@router.get("/unsubscribe/{token}", response_model=None)
async def unsubscribe_form(request: Request, token: str) -> HTMLResponse:
    store: Store = request.app.state.store
    try:
        account = await run_in_threadpool(accounts.unsubscribe_account, store, token)
    except NotFoundError as exc:
        return _unknown(request, exc)
    return _page(request, done=False, email=account.email or "", token=token)


@router.post("/unsubscribe/{token}", response_model=None)
async def unsubscribe(request: Request, token: str) -> HTMLResponse:
    store: Store = request.app.state.store
    try:
        account = await run_in_threadpool(accounts.unsubscribe, store, token,
                                          address=address(request))
    except NotFoundError as exc:
        return _unknown(request, exc)
    return _page(request, done=True, email=account.email or "", token=token)
