"""Run the packaged Alembic migrations programmatically, quietly, and only when needed.

Alembic is imported only when a database is behind: opening a database already at the
head revision costs one query and no Alembic import (the CLI starts faster).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest revision in migrations/versions; a test checks it against Alembic's view.
HEAD_REVISION = "0007"
_PG_LOCK_KEY = 0x68616D73  # "hams": serialises concurrent first runs on one server


class MigrationError(Exception):
    """Alembic could not bring the schema to head (its CommandError, translated)."""


def alembic_config() -> Config:
    """An Alembic config built in code: no ini file, no logging setup."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    return config


def head_revision() -> str | None:
    """The newest revision shipped with this version of hamstride, as Alembic sees it."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at (None for an empty database)."""
    try:
        rows = [row[0] for row in connection.execute(
            text("SELECT version_num FROM alembic_version"))]
    except SQLAlchemyError:
        connection.rollback()  # no alembic_version table yet (PostgreSQL needs the reset)
        return None
    return rows[0] if len(rows) == 1 else None


def upgrade_to_head(engine: Engine) -> None:
    """Bring the schema to head; a database already there costs one query."""
    with engine.connect() as connection:
        if current_revision(connection) == HEAD_REVISION:
            return
    from alembic import command
    from alembic.util import CommandError

    _quiet_alembic()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # a table rebuilt by a migration must not cascade-delete what refers to it
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
            connection.commit()  # SQLAlchemy's autobegun transaction; no SQL is sent
        try:
            with connection.begin():
                if not sqlite:
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                       {"key": _PG_LOCK_KEY})
                config = alembic_config()
                config.attributes["connection"] = connection
                try:
                    command.upgrade(config, "head")
                except CommandError as exc:
                    raise MigrationError(str(exc)) from exc
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
                    if broken is not None:
                        raise MigrationError(f"a row of {broken[0]} refers to nothing")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys = ON")
                connection.commit()


def _quiet_alembic() -> None:
    """Alembic logs each step at INFO; a library must not, unless the app asked for it."""
    logger = logging.getLogger("alembic")
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.WARNING)
