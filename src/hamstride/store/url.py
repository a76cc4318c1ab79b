"""Where the database lives: turn what the user gave (or nothing) into a SQLAlchemy URL."""

from __future__ import annotations

import os
import re
from pathlib import Path

import platformdirs
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from hamstride.errors import StoreError

ENV_VAR = "HAMSTRIDE_DB"
APP_NAME = "hamstride"
DB_FILE = "hamstride.db"

_PG_SCHEMES = ("postgresql://", "postgres://")
_PG_DRIVER = "postgresql+psycopg://"


def resolve_db_url(explicit: str | None) -> str:
    """The explicit URL or path, else ``$HAMSTRIDE_DB``, else a file in the user data dir."""
    chosen = explicit or os.environ.get(ENV_VAR) or None
    if chosen is None:
        return _sqlite_url(_default_path())
    return normalize_db_url(chosen)


def normalize_db_url(url: str) -> str:
    """A plain path becomes a sqlite URL; ``postgresql://`` gets the psycopg 3 driver."""
    if "://" not in url:
        return _sqlite_url(Path(url).expanduser().absolute())
    for scheme in _PG_SCHEMES:
        if url.startswith(scheme):
            return _PG_DRIVER + url.removeprefix(scheme)
    return url


def safe_url(url: str) -> str:
    """The URL with any password masked, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", url)


def _default_path() -> Path:
    folder = Path(platformdirs.user_data_dir(APP_NAME))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create data folder {folder}: {exc.strerror}") from exc
    return folder / DB_FILE


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"
