"""The REST API, versioned under /api/v1: one module per noun.

Every endpoint calls ``hamstride.coach`` or the core and holds no training rule; every
error has the one shape of ``hamstride.web.errors``. docs/api.md is the guide and
docs/openapi.json the generated contract (a test keeps it current).
"""

from fastapi import APIRouter

from hamstride.web.api import (
    auth,
    coaching,
    exercises,
    exports,
    log,
    meta,
    plans,
    profiles,
    progress,
    runs,
)

router = APIRouter()
router.include_router(meta.router)
router.include_router(log.router)  # FastAPI tries routes in order: the busiest first
router.include_router(exercises.router)
router.include_router(profiles.router)
router.include_router(plans.router)
router.include_router(progress.router)
router.include_router(exports.router)
router.include_router(runs.router)
router.include_router(auth.router)
router.include_router(coaching.router)
