"""Shared fixtures. ``db_url`` runs a test on SQLite, and on PostgreSQL too when
``HAMSTRIDE_TEST_PG_URL`` names an admin URL (e.g. postgresql://postgres@127.0.0.1/postgres).
``smtp_server`` is a real local SMTP server that keeps what it receives (tests/mail_server.py).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from hamstride.store import resolve_db_url
from tests.mail_server import smtp_server  # noqa: F401  (a fixture for every test)

PG_ENV = "HAMSTRIDE_TEST_PG_URL"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize ``db_url`` over the backends available; PostgreSQL only when asked for."""
    if "db_url" not in metafunc.fixturenames:
        return
    backends = [pytest.param("sqlite", id="sqlite")]
    if os.environ.get(PG_ENV):
        backends.append(pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres))
    metafunc.parametrize("db_url", backends, indirect=True)


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    """A fresh, randomly named database for this session, dropped at the end.

    An unreachable server is a failure, not a skip: the variable says it should be there.
    """
    admin_url = resolve_db_url(os.environ[PG_ENV])
    name = f"hamstride_test_{secrets.token_hex(6)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except DBAPIError as exc:
        admin.dispose()
        pytest.fail(f"{PG_ENV} is set but unusable: {exc.orig}", pytrace=False)
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of the requested backend (``sqlite`` or ``postgresql``)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hamstride.db'}"
    url: str = request.getfixturevalue("pg_database_url")
    _reset_schema(url)
    return url


def _reset_schema(url: str) -> None:
    """Drop everything a previous test left behind, alembic_version included."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()
