"""The application factory. Each worker process builds its own app (and store)."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from anyio import to_thread
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import Response
from starlette.types import Scope

from hamstride import __version__, accounts
from hamstride.catalogue import load_catalogue
from hamstride.mail import MailSettings
from hamstride.ratelimit import Limiter
from hamstride.store import Store, resolve_db_url
from hamstride.web import access, errors
from hamstride.web.api import router as api_router
from hamstride.web.guard import Guard
from hamstride.web.pages import router as pages_router
from hamstride.web.settings import Settings

STATIC = Path(__file__).parent / "static"
THREADS = 4
"""Threads per worker process for the endpoints that wait on the database (anyio's default
is 40). Python runs one at a time, so more only add switching and waits for SQLite's write
lock; 4 stay within the store's pool of 5 connections, so no request opens a connection."""


STATIC_CACHE = "public, max-age=3600"  # not fingerprinted: an hour, then revalidated by ETag
GZIP_MIN_BYTES = 1000  # smaller bodies gain less than the compression costs


class CachedStatic(StaticFiles):
    """Static files with a Cache-Control header (StaticFiles sends ETag and Last-Modified)."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = STATIC_CACHE
        return response


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    store = Store.open(resolve_db_url(settings.db_url))
    load_catalogue()  # fail at start-up, not on the first request

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        to_thread.current_default_thread_limiter().total_tokens = THREADS
        yield
        store.close()

    app = FastAPI(title="hamstride", version=__version__, lifespan=lifespan,
                  description="A hamstring-first, evidence-based strength coach for runners.")
    app.state.store = store
    app.state.settings = settings
    app.state.local_caller = accounts.local_caller(store)
    app.state.limiter = Limiter()  # per process: see hamstride/ratelimit.py
    # read once, at start-up (a bad HAMSTRIDE_SMTP_URL stops the app here); None: no mail
    # can be sent, and the password-reset page says so (web/pages/reset.py)
    app.state.mail = MailSettings.from_env() if settings.accounts else None
    errors.install(app)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES)
    # added last, so outermost: refusals skip everything else, and every answer (gzipped
    # or not) gets the security headers
    app.add_middleware(Guard, allowed_hosts=settings.allowed_hosts,
                       docs_paths=[path for path in (app.docs_url, app.redoc_url,
                                                     app.swagger_ui_oauth2_redirect_url)
                                   if path])
    app.mount("/static", CachedStatic(directory=STATIC), name="static")
    checked = [Depends(access.enforce)]
    app.include_router(api_router, prefix="/api/v1", dependencies=checked)
    app.include_router(pages_router, dependencies=checked)
    app.state.access = access.rules_for(app)
    return app


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory hamstride.web.app:app_from_env`` (what `hamstride serve` runs):
    one app per worker process. What start-up built lives as long as the worker, so it is
    frozen out of the cycle collector's reach: a full collection then scans only what
    requests made (it took 80-300 ms per worker under load, the slowest requests' wait)."""
    app = create_app(Settings.from_env())
    gc.collect()
    gc.freeze()
    return app
