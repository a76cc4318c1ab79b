"""Server-rendered pages: one module per page family. Their errors are HTML pages
(``common.PageRoute``); the player's few lines of JavaScript talk to the JSON API."""

from contextlib import suppress

from fastapi import APIRouter, Depends, Request

from hamstride.errors import AuthError
from hamstride.web.auth import caller
from hamstride.web.pages import (
    account,
    check,
    coaching,
    home,
    library,
    onboarding,
    plan,
    progress,
    reset,
    runs,
    session,
    settings,
    unsubscribe,
)


async def who(request: Request) -> None:
    """Who is signed in, worked out before every page, public ones too, so that the
    header can offer Settings and Log out (a bad credential is nobody here: the route's
    row in web/access.py decides what that means)."""
    with suppress(AuthError):
        await caller(request)


router = APIRouter(include_in_schema=False, dependencies=[Depends(who)])
for module in (account, reset, unsubscribe, settings, home, onboarding, plan, session, library,
               progress, runs, check, coaching):
    router.include_router(module.router)
