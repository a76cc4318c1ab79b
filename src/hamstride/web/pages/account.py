"""Signing in: log-in, sign-up and log-out, phone-first. With accounts off (the local
server) these pages only send the person home: nobody signs in to their own laptop."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hamstride import accounts
from hamstride.errors import ConflictError, HamstrideError, InputError
from hamstride.store import Store
from hamstride.store.accounts import StoredAccount
from hamstride.web.auth import SESSION_COOKIE, address
from hamstride.web.deps import CallerDep
from hamstride.web.pages.common import PageRoute, error_page, render

router = APIRouter(route_class=PageRoute)
MAX_FIELDS = 10
NOTICES = {"reset": "Your password is changed: log in with the new one.",
           "deleted": "Your account is deleted, and everything that was in it."}


def safe_next(target: object) -> str:
    """Where to go after signing in: a path on this site only (no open redirect)."""
    text = target if isinstance(target, str) else ""
    if not text.startswith("/") or text.startswith("//") or "\\" in text:
        return "/"
    return text


def _page(request: Request, *, signup: bool, status_code: int = 200,
          **values: Any) -> HTMLResponse:
    settings = request.app.state.settings
    context: dict[str, Any] = {
        "title": "Make an account" if signup else "Log in", "signup": signup,
        "action": "/signup" if signup else "/login",
        "button": "Make my account" if signup else "Log in",
        "intro": "Your plan, your log and your runs, seen only by you." if signup else "",
        "email": "", "next": "/", "error": "", "notice": "", "coach": False,
        "password_min": accounts.PASSWORD_MIN, "signup_open": settings.signup == "open",
        "nav": ()}
    context.update(values)
    return render(request, "account/login.html", context, status_code=status_code)


def _signed_in(request: Request, store: Store, account: StoredAccount,
               target: str) -> Response:
    label = request.headers.get("user-agent", "a browser")[:200]
    secret = accounts.open_session(store, account, address=address(request), label=label)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, secret, max_age=accounts.SESSION_DAYS * 86400,
                        httponly=True, samesite="lax", path="/",
                        secure=request.url.scheme == "https")
    return response


def local_mode(request: Request) -> Response | None:
    """With accounts off, the signing-in pages only send the person home (else None)."""
    return None if request.app.state.settings.accounts else RedirectResponse("/", 303)


def signed_out(target: str) -> RedirectResponse:
    """Go to ``target`` with the session cookie removed (log-out, an ended session, a
    deleted account, a new password)."""
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/login", response_model=None)
async def login_form(request: Request) -> Response:
    if (home := local_mode(request)) is not None:
        return home
    notice = next((text for flag, text in NOTICES.items()
                   if request.query_params.get(flag)), "")
    return _page(request, signup=False, next=safe_next(request.query_params.get("next")),
                 notice=notice)


@router.post("/login", response_model=None)
async def login_submit(request: Request) -> Response:
    if (home := local_mode(request)) is not None:
        return home
    form = await request.form(max_fields=MAX_FIELDS)
    email, password = str(form.get("email") or ""), str(form.get("password") or "")
    target = safe_next(form.get("next"))
    store: Store = request.app.state.store
    try:
        account = await run_in_threadpool(
            accounts.check_login, store, request.app.state.limiter, email=email,
            password=password, address=address(request))
    except HamstrideError as exc:
        return _refused(request, exc, signup=False, email=email, next=target)
    return await run_in_threadpool(_signed_in, request, store, account, target)


@router.get("/signup", response_model=None)
async def signup_form(request: Request) -> Response:
    if (home := local_mode(request)) is not None:
        return home
    if request.app.state.settings.signup != "open":
        return _closed(request)
    return _page(request, signup=True, next=safe_next(request.query_params.get("next")))


@router.post("/signup", response_model=None)
async def signup_submit(request: Request) -> Response:
    if (home := local_mode(request)) is not None:
        return home
    if request.app.state.settings.signup != "open":
        return _closed(request)
    form = await request.form(max_fields=MAX_FIELDS)
    email, password = str(form.get("email") or ""), str(form.get("password") or "")
    role = "coach" if form.get("coach") == "on" else "athlete"
    target = safe_next(form.get("next"))
    store: Store = request.app.state.store
    wrong = _each_problem(email, password)
    if wrong:  # both fields at once, not one per submit
        return _page(request, signup=True, email=email, status_code=422, error=" ".join(wrong),
                     next=target, coach=role == "coach")
    try:
        request.app.state.limiter.hit("login-address", address(request))
        account = await run_in_threadpool(
            accounts.add_account, store, email=email, password=password, role=role,
            address=address(request))
    except ConflictError:
        # a sign-up cannot hide that an address has an account; the address's rate limit
        # bounds how fast anyone can ask
        return _page(request, signup=True, email=email, status_code=409,
                     error="This e-mail has an account already: log in, or reset its "
                           "password from the log-in page.")
    except HamstrideError as exc:
        return _refused(request, exc, signup=True, email=email, next=target)
    landing = target if target != "/" else ("/coach" if role == "coach" else "/start")
    return await run_in_threadpool(_signed_in, request, store, account, landing)


def _each_problem(email: str, password: str) -> list[str]:
    found = []
    for check, value in ((accounts.email_address, email), (accounts.check_password, password)):
        try:
            check(value)
        except InputError as exc:
            found.append(exc.message)
    return found


@router.post("/logout", response_model=None)
async def logout(request: Request, who: CallerDep) -> Response:
    if (home := local_mode(request)) is not None:
        return home
    store: Store = request.app.state.store
    if who.credential is not None and who.kind == accounts.SESSION:
        await run_in_threadpool(accounts.end_credential, store, who, who.credential,
                                kind=accounts.SESSION, address=address(request))
    return signed_out("/login")


def _refused(request: Request, exc: HamstrideError, *, signup: bool,
             **values: Any) -> HTMLResponse:
    response = _page(request, signup=signup, error=exc.message, status_code=exc.status,
                     **values)
    retry = getattr(exc, "retry_after", None)
    if retry is not None:
        response.headers["Retry-After"] = str(retry)
    return response


def _closed(request: Request) -> HTMLResponse:
    return error_page(request, 403, "This server is by invitation: ask its admin for an "
                      "invitation link.", title="By invitation")
