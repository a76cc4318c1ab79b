"""The store on SQLite always, and on PostgreSQL when HAMSTRIDE_TEST_PG_URL is set."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from hamstride.errors import ProfileNotFound, StoreError
from hamstride.store import Store, StoredPlan, resolve_db_url
from hamstride.store.migrate import head_revision
from hamstride.store.models import Base

START = date(2025, 3, 3)


def _profile(name: str = "ana", level: int = 1) -> dict[str, Any]:
    return {"schema": "hamstride.profile/1", "name": name, "level": level}


def _plan(store: Store, profile: str = "ana", weeks: int = 8) -> StoredPlan:
    return store.save_plan(
        profile_name=profile, start=START, weeks=weeks, document={"weeks": weeks}
    )


def test_store_migrations_create_the_tables(db_url: str) -> None:
    Store.open(db_url).close()
    engine = create_engine(db_url)
    try:
        found = inspect(engine)
        assert {"profiles", "plans", "alembic_version"} <= set(found.get_table_names())
        plan_columns = {c["name"] for c in found.get_columns("plans")}
        assert plan_columns == {
            "id",
            "profile_id",
            "start",
            "weeks",
            "document",
            "created_at",
            "is_active",
            "regenerated",
            "outline",
        }
        profile_columns = {c["name"] for c in found.get_columns("profiles")}
        assert profile_columns == {"id", "account_id", "name", "document", "created_at",
                                   "updated_at"}
        assert {"accounts", "credentials", "audit_events"} <= set(found.get_table_names())
        with engine.connect() as connection:
            context = MigrationContext.configure(connection)
            assert context.get_current_revision() == head_revision()
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_store_open_twice_is_idempotent(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(db_url) as store:
        store.save_profile(name="ana", document=_profile())

    def must_not_run(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a database at head must not be migrated again")

    monkeypatch.setattr(command, "upgrade", must_not_run)
    with Store.open(db_url) as store:
        assert [p.name for p in store.list_profiles()] == ["ana"]


def test_store_open_refuses_a_schema_from_a_newer_version(db_url: str) -> None:
    Store.open(db_url).close()
    engine = create_engine(db_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    finally:
        engine.dispose()
    with pytest.raises(StoreError, match="9999"):
        Store.open(db_url)


def test_store_open_prints_nothing(db_url: str, capfd: pytest.CaptureFixture[str]) -> None:
    Store.open(db_url).close()
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_store_save_profile_upserts_by_name(db_url: str) -> None:
    with Store.open(db_url) as store:
        first = store.save_profile(name="ana", document=_profile(level=1))
        store.save_profile(name="bo", document=_profile("bo"))
        second = store.save_profile(name="ana", document=_profile(level=2))
        assert second.id == first.id
        assert second.created_at == first.created_at
        assert second.updated_at >= first.updated_at
        again = store.get_profile(name="ana")
        assert again is not None
        assert again.document["level"] == 2
        assert [p.name for p in store.list_profiles()] == ["ana", "bo"]
        assert store.get_profile(name="nobody") is None


def test_store_save_plan_activates_only_the_newest(db_url: str) -> None:
    with Store.open(db_url) as store:
        store.save_profile(name="ana", document=_profile())
        store.save_profile(name="bo", document=_profile("bo"))
        old = _plan(store, "ana", weeks=6)
        bo = _plan(store, "bo", weeks=4)
        new = _plan(store, "ana", weeks=8)
        assert new.active
        assert [(p.id, p.active) for p in store.list_plans(profile_name="ana")] == [
            (new.id, True),
            (old.id, False),
        ]
        assert store.active_plan(profile_name="ana") == new
        assert store.active_plan(profile_name="bo") == bo
        assert store.active_plan() == new
        assert store.get_plan(plan_id=old.id) == StoredPlan(
            id=old.id,
            profile_name="ana",
            start=START,
            weeks=6,
            document={"weeks": 6},
            created_at=old.created_at,
            active=False,
        )
        assert len(store.list_plans()) == 3


def test_store_current_plans_pick_the_runners_newest_and_the_active_one(db_url: str) -> None:
    with Store.open(db_url) as store:
        assert store.profile_and_plans(profile_name="ana") == (None, None, None)
        store.save_profile(name="ana", document=_profile())
        store.save_profile(name="bo", document=_profile("bo"))
        profile = store.get_profile(name="ana")
        assert store.current_plans(profile_name="ana") == (None, None)
        assert store.profile_and_plans(profile_name="ana") == (profile, None, None)
        _plan(store, "ana", weeks=6)
        made = _plan(store, "ana", weeks=8)
        _plan(store, "bo", weeks=4)
        assert store.current_plans(profile_name="ana") == (made, made)
        assert store.profile_and_plans(profile_name="ana") == (profile, made, made)
        followed = store.save_plan(profile_name="ana", start=START, weeks=8,
                                   document={"weeks": 8, "followed": True}, regenerated=True)
        original = store.get_plan(plan_id=made.id)
        assert original is not None and not original.active
        assert store.current_plans(profile_name="ana") == (original, followed)
        assert store.profile_and_plans(profile_name="ana") == (profile, original, followed)
        # every answer is the account's own: another account's profile of that name is
        # never found
        assert store.scoped(store.account + 1000).profile_and_plans(
            profile_name="ana") == (None, None, None)


def test_store_active_plan_is_none_on_an_empty_database(db_url: str) -> None:
    with Store.open(db_url) as store:
        assert store.active_plan() is None
        assert store.active_plan(profile_name="ana") is None
        assert store.get_plan(plan_id=1) is None
        assert store.list_plans() == []
        assert store.list_profiles() == []


def test_store_round_trips_a_nested_unicode_document(db_url: str) -> None:
    document: dict[str, Any] = {
        "athlete": {"name": "Ingrid Mjølsnes", "club": "Løpeklubben Ærøy 🏃"},
        "weeks": [{"week": 1, "sessions": [{"exercise": "nordic", "sets": 2, "rpe": 6.5}]}],
        "notes": None,
        "flags": [True, False],
    }
    with Store.open(db_url) as store:
        store.save_profile(name="Mjølsnes", document=document)
        saved = _plan(store, "Mjølsnes")
    with Store.open(db_url) as store:
        profile = store.get_profile(name="Mjølsnes")
        plan = store.get_plan(plan_id=saved.id)
    assert profile is not None
    assert profile.document == document
    assert plan is not None
    assert plan.profile_name == "Mjølsnes"


def test_store_save_plan_for_an_unknown_profile_writes_nothing(db_url: str) -> None:
    with Store.open(db_url) as store:
        with pytest.raises(ProfileNotFound, match="'ghost'"):
            _plan(store, "ghost")
        assert store.list_plans() == []


def test_store_rejects_a_non_json_document_and_keeps_the_active_plan(db_url: str) -> None:
    with Store.open(db_url) as store:
        store.save_profile(name="ana", document=_profile())
        kept = _plan(store)
        with pytest.raises(StoreError, match="not valid JSON"):
            store.save_plan(profile_name="ana", start=START, weeks=1, document={"x": {1, 2}})
        assert store.active_plan(profile_name="ana") == kept
        assert len(store.list_plans()) == 1


def test_store_rejects_a_closed_store(db_url: str) -> None:
    store = Store.open(db_url)
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.list_profiles()


@pytest.mark.parametrize("url", ["nosuchdb://somewhere/x", "postgresql://u:pw@host:notaport/db"])
def test_store_open_bad_url_raises_store_error(url: str) -> None:
    with pytest.raises(StoreError, match="cannot open database") as caught:
        Store.open(url)
    assert "pw" not in str(caught.value)
    assert "\n" not in str(caught.value)


def test_store_open_unreachable_postgres_raises_store_error() -> None:
    with pytest.raises(StoreError) as caught:
        Store.open("postgresql://hamstride:s3cret@127.0.0.1:1/hamstride")
    message = str(caught.value)
    assert "127.0.0.1:1/hamstride" in message
    assert "s3cret" not in message
    assert "\n" not in message


def test_store_open_unwritable_sqlite_path_raises_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match=r"a-file/hamstride\.db"):
        Store.open(f"sqlite:///{blocker / 'hamstride.db'}")


def test_store_resolve_db_url_prefers_explicit_over_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAMSTRIDE_DB", "sqlite:////from/env.db")
    assert resolve_db_url("sqlite:////explicit.db") == "sqlite:////explicit.db"
    assert resolve_db_url(None) == "sqlite:////from/env.db"
    monkeypatch.setenv("HAMSTRIDE_DB", "postgresql://u@db.example/hs")
    assert resolve_db_url(None) == "postgresql+psycopg://u@db.example/hs"


def test_store_resolve_db_url_turns_paths_into_sqlite_urls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_db_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    assert resolve_db_url("rel.db") == f"sqlite:///{tmp_path / 'rel.db'}"
    keep = "postgresql+psycopg://u@h/db"
    assert resolve_db_url(keep) == keep
    assert resolve_db_url("postgres://u@h/db") == keep


def test_store_resolve_db_url_defaults_to_the_user_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HAMSTRIDE_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    folder = tmp_path / "data" / "hamstride"
    assert resolve_db_url(None) == f"sqlite:///{folder / 'hamstride.db'}"
    assert folder.is_dir()
    monkeypatch.setenv("HAMSTRIDE_DB", "")
    assert resolve_db_url(None) == f"sqlite:///{folder / 'hamstride.db'}"


def test_store_head_revision_constant_matches_the_migrations() -> None:
    from hamstride.store.migrate import HEAD_REVISION

    assert head_revision() == HEAD_REVISION
