"""A forgotten password: ask for a link by e-mail, then choose a new password with it.

``POST /reset`` answers the same page whether or not an account has the address, and
sends the mail after the answer (a background task): neither the page nor its timing
tells who has an account, and a mail server that fails is logged, not shown. The mail
settings are read once, when the app starts (``app.state.mail``, from
``HAMSTRIDE_SMTP_URL``); without them the form says the server cannot send mail. The
link is ``{the request's own scheme://host}/reset/{secret}``: behind a proxy, the host
the proxy passes on (so the server should only answer for its own host names).
With accounts off these pages only send the person home, like the log-in pages.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape
from starlette.background import BackgroundTask

from hamstride import accounts, mail
from hamstride.accounts import ResetLink
from hamstride.errors import AuthError, HamstrideError, InputError, MailError
from hamstride.store import Store
from hamstride.web.auth import address
from hamstride.web.pages.account import local_mode, signed_out
from hamstride.web.pages.common import PageRoute, render

log = logging.getLogger(__name__)
router = APIRouter(route_class=PageRoute)
MAX_FIELDS = 10
SENT = (f"If an account has this address, a link is on its way; it works for "
        f"{accounts.RESET_MINUTES} minutes.")
NO_MAIL = ("This server cannot send mail, so it cannot send you a reset link. Ask its "
           "admin to reset your password.")
BAD_LINK = "This reset link is unknown, used or expired; ask for a new one."
# the page at /reset/{secret} holds the secret in its address: no Referer, no cache
PRIVATE = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


def _page(request: Request, step: str, *, status_code: int = 200,
          **values: Any) -> HTMLResponse:
    context: dict[str, Any] = {
        "title": "Choose a new password" if step == "new" else "Forgot your password",
        "step": step, "email": "", "error": "", "message": "", "token": "",
        "password_min": accounts.PASSWORD_MIN, "nav": ()}
    context.update(values)
    response = render(request, "account/reset.html", context, status_code=status_code)
    response.headers.update(PRIVATE)
    return response


@router.get("/reset", response_model=None)
async def ask_form(request: Request) -> Response:
    if (home := local_mode(request)) is not None:
        return home
    return _page(request, "ask")


@router.post("/reset", response_model=None)
async def ask(request: Request) -> Response:
    """Ask for a reset link: the same answer for every address."""
    if (home := local_mode(request)) is not None:
        return home
    form = await request.form(max_fields=MAX_FIELDS)
    email = str(form.get("email") or "")[:400]
    settings: mail.MailSettings | None = request.app.state.mail
    if settings is None:  # before looking at the address: nothing is learned from it
        return _page(request, "nomail", status_code=503, message=NO_MAIL, email=email)
    store: Store = request.app.state.store
    try:
        link = await run_in_threadpool(accounts.ask_reset, store, request.app.state.limiter,
                                       email=email, address=address(request))
    except InputError as exc:
        return _page(request, "ask", status_code=exc.status, error=exc.message, email=email)
    except HamstrideError as exc:  # RateLimitError: 429
        response = _page(request, "ask", status_code=exc.status, error=exc.message,
                         email=email)
        retry = getattr(exc, "retry_after", None)
        if retry is not None:
            response.headers["Retry-After"] = str(retry)
        return response
    response = _page(request, "sent", message=SENT)
    if link is not None:
        base = str(request.base_url).rstrip("/")
        response.background = BackgroundTask(send_link, settings, link, base)
    return response


def reset_mail(link: ResetLink, base: str) -> mail.Mail:
    """The mail with the link: plain text, and the same as simple HTML."""
    url = f"{base}/reset/{link.secret}"
    minutes = accounts.RESET_MINUTES
    text = (f"Hello,\n\nSomeone, we hope you, asked to reset the password of the hamstride "
            f"account {link.email}.\n\nTo choose a new password, open this link (it works "
            f"once, for {minutes} minutes):\n\n{url}\n\nIf you did not ask, ignore this "
            "mail: your password stays as it is.\n\nhamstride\n")
    html = (f"<p>Hello,</p><p>Someone, we hope you, asked to reset the password of the "
            f"hamstride account {escape(link.email)}.</p>"
            f'<p><a href="{escape(url)}">Choose a new password</a> (the link works once, '
            f"for {minutes} minutes):<br>{escape(url)}</p>"
            "<p>If you did not ask, ignore this mail: your password stays as it is.</p>"
            "<p>hamstride</p>")
    return mail.Mail(to=link.email, subject="Reset your hamstride password", text=text,
                     html=html)


def send_link(settings: mail.MailSettings, link: ResetLink, base: str) -> None:
    """Send the reset mail (after the answer); a failure is logged, never shown."""
    try:
        mail.send(settings, [reset_mail(link, base)])
    except (MailError, InputError) as exc:
        log.error("the password reset mail was not sent: %s", exc.message)


@router.get("/reset/{token}", response_model=None)
async def new_password_form(request: Request, token: str) -> Response:
    if (home := local_mode(request)) is not None:
        return home
    store: Store = request.app.state.store
    if not await run_in_threadpool(accounts.reset_link_live, store, token):
        return _page(request, "bad", status_code=400, message=BAD_LINK)
    return _page(request, "new", token=token)


@router.post("/reset/{token}", response_model=None)
async def new_password(request: Request, token: str) -> Response:
    """Set the new password; the link and every session end, and the person logs in."""
    if (home := local_mode(request)) is not None:
        return home
    form = await request.form(max_fields=MAX_FIELDS)
    password = str(form.get("new_password") or "")
    store: Store = request.app.state.store
    try:
        await run_in_threadpool(accounts.reset_password, store, token, new=password,
                                address=address(request))
    except AuthError:
        return _page(request, "bad", status_code=400, message=BAD_LINK)
    except HamstrideError as exc:
        if not await run_in_threadpool(accounts.reset_link_live, store, token):
            return _page(request, "bad", status_code=400, message=BAD_LINK)
        return _page(request, "new", status_code=exc.status, error=exc.message, token=token)
    return signed_out("/login?reset=1")
