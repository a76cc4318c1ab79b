"""Accounts in the API: tokens for scripts, who am I, the admin's list of accounts, and
the export of everything an account owns.

``POST /auth/token`` trades an e-mail and password for a token (shown once, stored as its
SHA-256); every other call sends it as ``Authorization: Bearer TOKEN``; ``DELETE
/auth/token`` revokes the token that call used.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import Field

from hamstride import account_export, accounts
from hamstride.errors import InputError
from hamstride.store import Store
from hamstride.web.api._shared import JSON_BODY, StrictBody, errors
from hamstride.web.auth import address
from hamstride.web.deps import CallerDep, StoreDep

ZIP = "application/zip"

router = APIRouter(tags=["accounts"])


class TokenRequest(StrictBody):
    email: str = Field(max_length=400)
    password: str = Field(max_length=1000)
    label: str = Field("", max_length=200, description="What the token is for (shown in "
                       "the settings page).")


class TokenAnswer(StrictBody):
    token: str = Field(description="Send as `Authorization: Bearer TOKEN`; shown only now.")
    id: int


class Me(StrictBody):
    email: str | None
    role: str
    signed_in_with: str | None = Field(description="'session', 'token', or null for the "
                                       "local owner of a server without accounts.")


class AccountSummary(StrictBody):
    email: str
    role: str
    profiles: int
    created_at: datetime


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


@router.post("/auth/token", status_code=201, summary="Make an API token",
             dependencies=JSON_BODY, responses=errors(401, 415, 422, 429))
def make_token(body: TokenRequest, request: Request) -> TokenAnswer:
    """Check the e-mail and password (limited per account and per address: 429 with
    Retry-After) and answer a new token."""
    store = _store(request)
    account = accounts.check_login(store, request.app.state.limiter, email=body.email,
                                   password=body.password, address=address(request))
    secret = accounts.make_token(store, account.id, address=address(request),
                                 label=body.label or "API token")
    found = accounts.caller_of(store, secret, kind=accounts.TOKEN)
    assert found is not None and found.credential is not None
    return TokenAnswer(token=secret, id=found.credential)


@router.delete("/auth/token", status_code=204, summary="Revoke the token used",
               responses=errors(401, 422))
async def revoke_token(request: Request, who: CallerDep) -> Response:
    """Revoke the token this request was sent with; it works no more, at once."""
    if who.kind != accounts.TOKEN or who.credential is None:
        raise InputError("Authorization: send the token to revoke as 'Bearer TOKEN'.",
                         field="Authorization")
    await run_in_threadpool(accounts.end_credential, _store(request), who, who.credential,
                            kind=accounts.TOKEN, address=address(request))
    return Response(status_code=204)


@router.get("/auth/me", summary="Who am I", responses=errors(401))
async def me(who: CallerDep) -> Me:
    """The account this request acts as, and what it signed in with."""
    return Me(email=who.email, role=who.role, signed_in_with=who.kind)


@router.get("/accounts", summary="Every account (admins only)", responses=errors(401, 403))
def list_accounts(request: Request) -> list[AccountSummary]:
    """Every account by e-mail, with its role and how many profiles it has."""
    return [AccountSummary(email=a.email or "", role=a.role, profiles=n,
                           created_at=a.created_at)
            for a, n in _store(request).accounts.all()]


def export_response(store: Store) -> Response:
    """The account's export as a download (the settings page's "Download everything" too)."""
    now = datetime.now(UTC)
    headers = {"Content-Disposition": f'attachment; filename="{account_export.file_name(now)}"',
               "Cache-Control": "no-store"}
    return Response(content=account_export.export_zip(store, now=now), media_type=ZIP,
                    headers=headers)


@router.get("/account/export", summary="Everything the account owns, as a zip",
            response_class=Response,
            responses={200: {"content": {ZIP: {}}, "description": "A zip file: account.json, "
                             "audit_log.json, README.txt and a folder per profile."},
                       **errors(401)})
def export_account(store: StoreDep) -> Response:
    """A zip of everything the signed-in account owns, as a download: `account.json` (the
    account, its profiles and the folder of each, its sessions and tokens without their
    secrets), `audit_log.json`, and per profile `profiles/<folder>/` with `profile.json`,
    `plans.json` (every stored plan), `log.json` and `log.csv` (as the per-profile
    exports write them), `field_tests.json` and `activities.json`. `README.txt` says
    what each file is. Original activity files are not stored, so not exported."""
    return export_response(store)
