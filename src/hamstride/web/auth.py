"""Who is asking: the one place a request becomes an account.

In local mode (accounts off) every request acts as the local owner, like the CLI. With
accounts on, an API call proves itself with ``Authorization: Bearer TOKEN`` and a browser
with its session cookie; nothing else is accepted. The answer is worked out once per
request (``request.state``) and, on SQLite, without a query while nothing was written.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.concurrency import run_in_threadpool

from hamstride import accounts
from hamstride.accounts import Caller
from hamstride.errors import AuthError
from hamstride.store import Store

SESSION_COOKIE = "hamstride_session"
_UNSET = object()


async def caller(request: Request) -> Caller | None:
    """The caller, or None when nobody is signed in (a bad token is an AuthError: a
    script must hear that its token is wrong, not get an anonymous answer)."""
    found = getattr(request.state, "caller", _UNSET)
    if found is not _UNSET:
        assert found is None or isinstance(found, Caller)
        return found
    if not request.app.state.settings.accounts:
        found = request.app.state.local_caller
    else:
        found = await _signed_in(request)
    request.state.caller = found
    return found


async def _signed_in(request: Request) -> Caller | None:
    store: Store = request.app.state.store
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise AuthError("Authorization: send 'Bearer TOKEN' (POST /api/v1/auth/token "
                            "gives one).", field="Authorization")
        found = await _credential(store, secret.strip(), accounts.TOKEN)
        if found is None:
            raise AuthError("This API token is unknown or revoked.", field="Authorization")
        return found
    cookie = request.cookies.get(SESSION_COOKIE)
    return None if not cookie else await _credential(store, cookie, accounts.SESSION)


async def _credential(store: Store, secret: str, kind: str) -> Caller | None:
    kept = store.accounts.kept_credential(
        accounts.digest(secret), kind=kind) if len(secret) < 200 else None
    if kept is not None:
        account, credential = kept
        return Caller(account.id, account.role, account.email, credential, kind)
    return await run_in_threadpool(accounts.caller_of, store, secret, kind=kind)


def address(request: Request) -> str:
    """The client's address as the server sees it (behind a proxy, what uvicorn's
    --forwarded-allow-ips trusts)."""
    return request.client.host if request.client else "unknown"
