"""Alembic environment for the hamstride store.

``Store.open`` passes an open connection in ``config.attributes["connection"]``. Run from
the command line (to generate a revision, say), the URL comes from ``-x url=...``, then
``sqlalchemy.url`` in the ini file, then the usual ``HAMSTRIDE_DB`` resolution:

    alembic -c src/hamstride/store/alembic.ini -x url=sqlite:///dev.db upgrade head

Logging is left alone on purpose: the library must not print Alembic's INFO lines.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection

from hamstride.store.models import Base
from hamstride.store.url import resolve_db_url

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    explicit = context.get_x_argument(as_dictionary=True).get("url")
    return resolve_db_url(explicit or config.get_main_option("sqlalchemy.url") or None)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(_url())
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
