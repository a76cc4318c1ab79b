"""Server-rendered pages: one module per page family. Their errors are HTML pages
(``common.PageRoute``); the player's few lines of JavaScript talk to the JSON API."""

from fastapi import APIRouter

from hamstride.web.pages import (
    account,
    check,
    home,
    library,
    onboarding,
    plan,
    progress,
    runs,
    session,
)

router = APIRouter(include_in_schema=False)
for module in (account, home, onboarding, plan, session, library, progress, runs, check):
    router.include_router(module.router)
