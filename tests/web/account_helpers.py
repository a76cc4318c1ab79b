"""Helpers of the tests of a server with accounts on: the app, an account, signing in
through the log-in page (its cookie checked), and a table-by-table row count."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select, text

from hamstride import accounts
from hamstride.store import Store
from hamstride.store.accounts import StoredAccount
from hamstride.store.models import Base
from hamstride.web.app import create_app
from hamstride.web.auth import SESSION_COOKIE
from hamstride.web.settings import Settings
from tests.web.conftest import TEST_HOSTS, WEB_TODAY

PASSWORD = "correct horse battery"
NEW_PASSWORD = "staple lunges daily"


def accounts_app(tmp_path: Path, *, today: date = WEB_TODAY) -> FastAPI:
    """The app with accounts on, on a fresh SQLite file (``db_file(tmp_path)``)."""
    return create_app(Settings(db_url=f"sqlite:///{db_file(tmp_path)}", accounts=True,
                               today=today, allowed_hosts=TEST_HOSTS))


def db_file(tmp_path: Path) -> Path:
    return tmp_path / "t.db"


def store_of(app: FastAPI) -> Store:
    store: Store = app.state.store
    return store


def add(app: FastAPI, email: str, password: str = PASSWORD) -> StoredAccount:
    return accounts.add_account(store_of(app), email=email, password=password,
                                address="test")


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Log in through the page; the session secret. The cookie is HttpOnly and
    SameSite=Lax (a form on another site cannot post with it)."""
    response = client.post("/login", data={"email": email, "password": password},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert "httponly" in flags and "samesite=lax" in flags, cookie
    secret = client.cookies.get(SESSION_COOKIE)
    assert secret
    return secret


def row_counts(tmp_path: Path) -> dict[str, int]:
    """Every table's number of rows."""
    engine = create_engine(f"sqlite:///{db_file(tmp_path)}")
    try:
        with engine.connect() as connection:
            return {table.name: int(connection.execute(
                select(func.count()).select_from(table)).scalar_one())
                for table in Base.metadata.sorted_tables}
    finally:
        engine.dispose()


_OWNED = {
    "accounts": "SELECT count(*) FROM accounts WHERE id = :a",
    "credentials": "SELECT count(*) FROM credentials WHERE account_id = :a",
    "audit_events": "SELECT count(*) FROM audit_events WHERE account_id = :a",
    "profiles": "SELECT count(*) FROM profiles WHERE account_id = :a",
    "plans": "SELECT count(*) FROM plans JOIN profiles p ON p.id = plans.profile_id "
             "WHERE p.account_id = :a",
    "log_sessions": "SELECT count(*) FROM log_sessions s JOIN profiles p ON p.id = "
                    "s.profile_id WHERE p.account_id = :a",
    "log_sets": "SELECT count(*) FROM log_sets x JOIN log_sessions s ON s.id = x.session_id "
                "JOIN profiles p ON p.id = s.profile_id WHERE p.account_id = :a",
    "field_tests": "SELECT count(*) FROM field_tests t JOIN profiles p ON p.id = "
                   "t.profile_id WHERE p.account_id = :a",
    "activities": "SELECT count(*) FROM activities t JOIN profiles p ON p.id = "
                  "t.profile_id WHERE p.account_id = :a",
    "coach_links": "SELECT count(*) FROM coach_links WHERE coach_id = :a OR athlete_id = :a",
    "invitations": "SELECT count(*) FROM invitations WHERE coach_id = :a OR athlete_id = :a",
    "comments": "SELECT count(*) FROM comments c JOIN profiles p ON p.id = c.profile_id "
                "WHERE p.account_id = :a",
    "prescriptions": "SELECT count(*) FROM prescriptions x JOIN profiles p ON p.id = "
                     "x.profile_id WHERE p.account_id = :a",
    "plan_templates": "SELECT count(*) FROM plan_templates WHERE coach_id = :a",
    "mail_sends": "SELECT count(*) FROM mail_sends WHERE account_id = :a",
}


def owned_rows(tmp_path: Path, account_id: int) -> dict[str, int]:
    """The rows of each table that belong to the account (through its profiles)."""
    assert set(_OWNED) == {t.name for t in Base.metadata.sorted_tables}
    engine = create_engine(f"sqlite:///{db_file(tmp_path)}")
    try:
        with engine.connect() as connection:
            return {name: int(connection.execute(text(query), {"a": account_id}).scalar_one())
                    for name, query in _OWNED.items()}
    finally:
        engine.dispose()
