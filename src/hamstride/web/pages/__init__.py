"""Server-rendered pages: one module per page family."""

from fastapi import APIRouter

from hamstride.web.pages import home

router = APIRouter(include_in_schema=False)
router.include_router(home.router)
