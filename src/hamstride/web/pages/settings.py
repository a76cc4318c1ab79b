"""The account's settings, phone-first: the password, the browser sessions, the API
tokens, the mails (weekly digest, session-day reminders), the audit log, the export of
everything, and deleting the account.

Every change goes through ``hamstride.accounts`` (the only writer of accounts). A change
that worked answers a redirect back here with a fixed notice (``?done=password``); one
that did not answers this page again with the message, a 4xx status and what was typed
(never a password). A new API token is shown on the page that answers its form, once: it
is not in any URL and is stored only as its digest. With accounts off (the local server)
only the export is here: nobody signs in, so there is no password, session or token.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hamstride import accounts
from hamstride.accounts import Caller
from hamstride.errors import AuthError, HamstrideError, InputError
from hamstride.store import Store
from hamstride.store.accounts import StoredCredential
from hamstride.store.models import utcnow
from hamstride.web.api.auth import export_response
from hamstride.web.auth import address
from hamstride.web.deps import CallerDep, StoreDep
from hamstride.web.pages.account import signed_out
from hamstride.web.pages.common import PageRoute, error_page, render

router = APIRouter(route_class=PageRoute)
MAX_FIELDS = 10
LABEL_MAX = 200
EVENTS_SHOWN = 50
NOTICES = {
    "password": "Your password is changed. Your other sessions have ended: sign in there "
                "again with the new one.",
    "session": "That session has ended: whoever used it must log in again.",
    "token": "The token is revoked: it works no more.",
    "mail": "Your e-mail choices are saved.",
}
NO_STORE = {"Cache-Control": "no-store"}
CredentialId = Annotated[int, Path(ge=1, le=2**31 - 1)]


# -- the page -------------------------------------------------------------------------------

@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, store: StoreDep, who: CallerDep) -> HTMLResponse:
    notice = NOTICES.get(request.query_params.get("done", ""), "")
    return _page(request, store, who, notice=notice)


def _page(request: Request, store: Store, who: Caller, *, status_code: int = 200,
          **values: Any) -> HTMLResponse:
    """The settings page (a sync function: it reads the database)."""
    context: dict[str, Any] = {
        "title": "Settings", "active": "settings", "error": "", "error_form": "",
        "error_field": "",
        "notice": "", "new_token": "", "token_label": "",
        "password_min": accounts.PASSWORD_MIN,
        "accounts_on": bool(request.app.state.settings.accounts)}
    if context["accounts_on"]:
        account = store.accounts.get(who.account)
        now = utcnow()
        current = who.credential if who.kind == accounts.SESSION else None
        sessions = [c for c in store.accounts.credentials(who.account, kind=accounts.SESSION)
                    if c.expires_at is None or c.expires_at > now]
        context.update(
            email=who.email, role=who.role,
            digest_on=bool(account and account.digest),
            reminders_on=bool(account and account.reminders),
            created=when(account.created_at) if account else "",
            sessions=[_credential(c, current=c.id == current, device=True) for c in sessions],
            tokens=[_credential(c) for c in store.accounts.credentials(
                who.account, kind=accounts.TOKEN)],
            events=[{"at": when(e.at), "event": e.event, "address": e.address}
                    for e in store.accounts.events(who.account, limit=EVENTS_SHOWN)])
    context.update(values)
    response = render(request, "account/settings.html", context, status_code=status_code)
    response.headers.update(NO_STORE)
    return response


def _credential(found: StoredCredential, *, current: bool = False,
                device: bool = False) -> dict[str, Any]:
    return {"id": found.id, "label": found.label,
            "name": device_name(found.label) if device else found.label,
            "created": when(found.created_at),
            "last_used": when(found.last_used_at) if found.last_used_at else "not yet",
            "current": current}


def when(moment: datetime) -> str:
    """A moment in words, UTC: ``4 Jan 2027, 09:12 UTC``."""
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
             ("FxiOS/", "Firefox"), ("CriOS/", "Chrome"), ("Chrome/", "Chrome"),
             ("Safari/", "Safari"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
            ("Mac OS X", "Mac"), ("Windows", "Windows"), ("CrOS", "ChromeOS"),
            ("Linux", "Linux"))


def device_name(agent: str) -> str:
    """A browser's user agent in a few words (``Chrome on Android``); the whole string
    shows beneath it. Anything unknown is "a browser"."""
    browser = next((name for mark, name in _BROWSERS if mark in agent), "")
    system = next((name for mark, name in _SYSTEMS if mark in agent), "")
    if not browser:
        found = re.match(r"[A-Za-z][\w.-]{0,30}", agent)
        browser = found.group(0) if found and found.group(0) != "Mozilla" else "A browser"
    return f"{browser} on {system}" if system else browser


def _refused(request: Request, store: Store, who: Caller, exc: HamstrideError, *,
             form: str, **values: Any) -> HTMLResponse:
    """This page again with the error beside its form. A wrong password is a 400 (a 401
    would ask the browser to authenticate); a rate limit says when to try again."""
    status = 400 if isinstance(exc, AuthError) else exc.status
    response = _page(request, store, who, status_code=status, error=exc.message,
                     error_form=form, **values)
    retry = getattr(exc, "retry_after", None)
    if retry is not None:
        response.headers["Retry-After"] = str(retry)
    return response


def _accounts_off(request: Request) -> HTMLResponse | None:
    """The answer of a form that needs accounts on a server without them (else None)."""
    if request.app.state.settings.accounts:
        return None
    return error_page(request, 400, "Accounts are off on this server: nobody signs in, so "
                      "there is no password, session or token to change. Your data is "
                      "on the settings page as one download.", title="Accounts are off")


# -- the password -------------------------------------------------------------------------

@router.post("/settings/password", response_model=None)
async def change_password(request: Request, store: StoreDep, who: CallerDep) -> Response:
    if (off := _accounts_off(request)) is not None:
        return off
    form = await request.form(max_fields=MAX_FIELDS)
    current = str(form.get("current_password") or "")
    new = str(form.get("new_password") or "")
    try:
        await run_in_threadpool(accounts.change_password, store, who, current=current,
                                new=new, address=address(request),
                                limits=request.app.state.limiter)
    except HamstrideError as exc:
        return await run_in_threadpool(_refused, request, store, who, exc, form="password",
                                       error_field=exc.field or "")
    return RedirectResponse("/settings?done=password", status_code=303)


# -- the mails -----------------------------------------------------------------------------

@router.post("/settings/mail", response_model=None)
async def choose_mail(request: Request, store: StoreDep, who: CallerDep) -> Response:
    """The weekly digest and the session-day reminders, on or off (two checkboxes: a box
    left unticked is not sent, so what is absent is off)."""
    if (off := _accounts_off(request)) is not None:
        return off
    form = await request.form(max_fields=MAX_FIELDS)
    await run_in_threadpool(accounts.set_mail, store, who, digest_mail="digest" in form,
                            reminders="reminders" in form, address=address(request))
    return RedirectResponse("/settings?done=mail", status_code=303)


# -- sessions and tokens --------------------------------------------------------------------

@router.post("/settings/sessions/{credential_id}/end", response_model=None)
async def end_session(request: Request, credential_id: CredentialId, store: StoreDep,
                      who: CallerDep) -> Response:
    """End one of the account's sessions (404 if it is not theirs); ending the one in use
    is logging out."""
    if (off := _accounts_off(request)) is not None:
        return off
    await run_in_threadpool(accounts.end_credential, store, who, credential_id,
                            kind=accounts.SESSION, address=address(request))
    if who.kind == accounts.SESSION and credential_id == who.credential:
        return signed_out("/login")
    return RedirectResponse("/settings?done=session", status_code=303)


@router.post("/settings/tokens", response_model=None)
async def make_token(request: Request, store: StoreDep, who: CallerDep) -> Response:
    """A new API token, shown on the page this answers and never again."""
    if (off := _accounts_off(request)) is not None:
        return off
    form = await request.form(max_fields=MAX_FIELDS)
    label = " ".join(str(form.get("label") or "").split())
    try:
        if len(label) > LABEL_MAX:
            raise InputError(f"label: at most {LABEL_MAX} characters.", field="label")
        secret = await run_in_threadpool(accounts.make_token, store, who.account,
                                         address=address(request),
                                         label=label or "API token")
    except HamstrideError as exc:
        return await run_in_threadpool(_refused, request, store, who, exc, form="token",
                                       token_label=label)
    return await run_in_threadpool(_page, request, store, who, new_token=secret,
                                   new_token_label=label or "API token")


@router.post("/settings/tokens/{credential_id}/revoke", response_model=None)
async def revoke_token(request: Request, credential_id: CredentialId, store: StoreDep,
                       who: CallerDep) -> Response:
    if (off := _accounts_off(request)) is not None:
        return off
    await run_in_threadpool(accounts.end_credential, store, who, credential_id,
                            kind=accounts.TOKEN, address=address(request))
    return RedirectResponse("/settings?done=token", status_code=303)


# -- the data -------------------------------------------------------------------------------

@router.get("/settings/export", response_model=None)
def export(store: StoreDep) -> Response:
    """Everything the account owns, as a zip (the API's GET /account/export)."""
    return export_response(store)


@router.post("/settings/delete", response_model=None)
async def delete_account(request: Request, store: StoreDep, who: CallerDep) -> Response:
    """Delete the account and everything it owns, once the password is checked."""
    if (off := _accounts_off(request)) is not None:
        return off
    form = await request.form(max_fields=MAX_FIELDS)
    password = str(form.get("password") or "")
    try:
        await run_in_threadpool(accounts.delete_own_account, store, who, password=password,
                                address=address(request), limits=request.app.state.limiter)
    except HamstrideError as exc:
        return await run_in_threadpool(_refused, request, store, who, exc, form="delete")
    return signed_out("/login?deleted=1")
