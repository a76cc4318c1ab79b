"""The REST API, versioned under /api/v1: one module per noun."""

from fastapi import APIRouter

from hamstride.web.api import exercises, meta

router = APIRouter()
router.include_router(meta.router)
router.include_router(exercises.router)
