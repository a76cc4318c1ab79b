"""Accounts in the store: the upgrade of a single-user database, per-account scoping,
credentials and the deletion of an account with everything it owns. On SQLite always, on
PostgreSQL when HAMSTRIDE_TEST_PG_URL is set."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from hamstride.errors import ConflictError, ProfileNotFound
from hamstride.store import Store
from hamstride.store.migrate import alembic_config
from hamstride.store.models import Base
from hamstride.training.activity import Activity, SourceFormat, Sport
from hamstride.training.log import field_test_from_data, session_from_data

DAY = date(2025, 3, 3)
NOW = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)


def _fill(store: Store, name: str) -> None:
    """One of everything a profile can own."""
    store.save_profile(name=name, document={"name": name})
    store.save_plan(profile_name=name, start=DAY, weeks=4, document={"weeks": 4})
    store.save_plan(profile_name=name, start=DAY, weeks=4, document={"continues": 1},
                    regenerated=True)
    store.save_log_sessions(profile_name=name, sessions=[session_from_data({
        "id": f"{name}-1", "date": DAY.isoformat(),
        "sets": [{"exercise": "nordic_curl", "reps": 5, "side": "both"}]})])
    store.save_field_tests(profile_name=name, tests=[field_test_from_data({
        "id": f"{name}-t", "date": DAY.isoformat(), "kind": "single_leg_bridge",
        "left": 20, "right": 22})])
    store.save_activities(profile_name=name, label="test", activities=[Activity(
        sport=Sport.RUNNING, start=NOW, duration_s=1800.0, distance_m=5000.0,
        source=SourceFormat.GPX)])


def _rows(db_url: str, tables: list[str] | None = None) -> dict[str, int]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            return {name: int(connection.execute(
                text(f"SELECT count(*) FROM {name}")).scalar_one())
                for name in tables or [t.name for t in Base.metadata.sorted_tables]}
    finally:
        engine.dispose()


def test_a_single_user_database_upgrades_into_the_local_owner_without_loss(
        db_url: str) -> None:
    """A database made by the previous release (revision 0003) with one of everything:
    after the upgrade every row is still there, every profile is the local owner's, and
    the first account made takes all of it over."""
    engine = create_engine(db_url)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "0003")
            connection.execute(text(
                "INSERT INTO profiles (id, name, document, created_at, updated_at) "
                "VALUES (1, 'sam', '{\"name\": \"sam\"}', :t, :t)"), {"t": NOW})
            for plan_id, doc, active in ((1, '{"weeks": 4}', False),
                                         (2, '{"weeks": 4, "continues": 1}', True)):
                connection.execute(text(
                    "INSERT INTO plans (id, profile_id, start, weeks, document, created_at, "
                    "is_active) VALUES (:i, 1, :d, 4, :doc, :t, :a)"),
                    {"i": plan_id, "d": DAY, "doc": doc, "t": NOW, "a": active})
            connection.execute(text(
                "INSERT INTO log_sessions (id, profile_id, client_id, date, notes, created_at, "
                "updated_at) VALUES (1, 1, 's1', :d, '', :t, :t)"), {"d": DAY, "t": NOW})
            connection.execute(text(
                "INSERT INTO log_sets (id, session_id, position, exercise, reps, side) "
                "VALUES (1, 1, 0, 'nordic_curl', 5, 'both')"))
            connection.execute(text(
                "INSERT INTO field_tests (id, profile_id, client_id, date, kind, \"left\", "
                "\"right\", notes, created_at) VALUES (1, 1, 't1', :d, 'single_leg_bridge', "
                "20, 22, '', :t)"), {"d": DAY, "t": NOW})
            connection.execute(text(
                "INSERT INTO activities (id, profile_id, activity_id, sport, start, document, "
                "source_label, imported_at) VALUES (1, 1, 'x1', 'run', :t, '{}', 'f', :t)"),
                {"t": NOW})
    finally:
        engine.dispose()
    old_tables = ["profiles", "plans", "log_sessions", "log_sets", "field_tests", "activities"]
    before = _rows(db_url, old_tables)
    assert before == {**dict.fromkeys(old_tables, 1), "plans": 2}

    with Store.open(db_url) as store:
        assert _rows(db_url, old_tables) == before
        assert _rows(db_url)["accounts"] == 1
        owner = store.accounts.local_owner()
        assert owner.email is None and store.account == owner.id
        assert [p.name for p in store.list_profiles()] == ["sam"]
        plans = {p.id: p.regenerated for p in store.list_plans(profile_name="sam")}
        assert plans == {1: False, 2: True}
        assert len(store.log_sessions(profile_name="sam")[0].sets) == 1
        assert len(store.field_tests(profile_name="sam")) == 1

        first = store.accounts.create(email="sam@example.org", password_hash="h",
                                      role="athlete")
        assert first.id == owner.id and first.local_owner
        assert [p.name for p in store.scoped(first.id).list_profiles()] == ["sam"]
        second = store.accounts.create(email="kim@example.org", password_hash="h",
                                       role="athlete")
        assert second.id != first.id and not second.local_owner
        assert store.scoped(second.id).list_profiles() == []


def test_each_account_sees_only_its_own_profiles_even_with_the_same_name(
        db_url: str) -> None:
    with Store.open(db_url) as store:
        a = store.scoped(store.accounts.create(email="a@x.org", password_hash=None,
                                               role="athlete").id)
        b = store.scoped(store.accounts.create(email="b@x.org", password_hash=None,
                                               role="athlete").id)
        _fill(a, "sam")
        assert b.get_profile(name="sam") is None
        assert not b.has_profile(name="sam")
        assert b.active_plan() is None and b.list_plans() == []
        with pytest.raises(ProfileNotFound):
            b.log_sessions(profile_name="sam")
        with pytest.raises(ProfileNotFound):
            b.save_log_sessions(profile_name="sam", sessions=[])
        with pytest.raises(ProfileNotFound):
            b.save_plan(profile_name="sam", start=DAY, weeks=1, document={})
        theirs = a.active_plan(profile_name="sam")
        assert theirs is not None
        assert b.get_plan(plan_id=theirs.id) is None
        assert b.delete_plans(plan_ids=[theirs.id]) == 0
        assert b.freshness(profile_name="sam").profile_id is None

        _fill(b, "sam")  # the same name in another account is another profile
        assert a.get_profile(name="sam") != b.get_profile(name="sam")
        assert len(a.log_sessions(profile_name="sam")) == 1
        assert a.freshness(profile_name="sam") != b.freshness(profile_name="sam")


def test_deleting_an_account_deletes_every_row_it_owns_and_nothing_else(db_url: str) -> None:
    with Store.open(db_url) as store:
        gone = store.accounts.create(email="gone@x.org", password_hash="h", role="athlete")
        kept = store.accounts.create(email="kept@x.org", password_hash="h", role="athlete")
        for account in (gone, kept):
            _fill(store.scoped(account.id), "sam")
            store.accounts.add_credential(account.id, kind="session",
                                          secret_hash=f"{account.id:064d}", label="x",
                                          expires_at=None)
            store.accounts.record(account.id, "log-in", address="127.0.0.1")
        both = _rows(db_url)
        assert store.accounts.delete(gone.id)
        left = _rows(db_url)
        # every table that holds account data lost exactly the deleted account's half
        for table, count in both.items():
            if table == "accounts":
                assert left[table] == count - 1
            else:
                assert left[table] * 2 == count, table
        assert store.accounts.get(gone.id) is None
        assert [p.name for p in store.scoped(kept.id).list_profiles()] == ["sam"]
        assert store.scoped(gone.id).list_profiles() == []


def test_an_e_mail_makes_one_account(db_url: str) -> None:
    with Store.open(db_url) as store:
        store.accounts.create(email="a@x.org", password_hash=None, role="athlete")
        with pytest.raises(ConflictError):
            store.accounts.create(email="a@x.org", password_hash=None, role="coach")
        assert [a.email for a, _ in store.accounts.all()] == ["a@x.org"]


def test_credentials_answer_while_live_and_of_their_kind(db_url: str) -> None:
    with Store.open(db_url) as store:
        account = store.accounts.create(email="a@x.org", password_hash=None, role="athlete")
        past = datetime.now(UTC) - timedelta(seconds=1)
        live = store.accounts.add_credential(account.id, kind="token", secret_hash="a" * 64,
                                             label="script", expires_at=None)
        store.accounts.add_credential(account.id, kind="reset", secret_hash="b" * 64,
                                      label="", expires_at=past)
        found = store.accounts.credential("a" * 64, kind="token")
        assert found is not None and found[0].id == account.id and found[1] == live
        assert store.accounts.credential("a" * 64, kind="session") is None
        assert store.accounts.credential("b" * 64, kind="reset") is None  # expired
        assert store.accounts.credentials(account.id, kind="reset") == []  # and removed
        assert store.accounts.credential("c" * 64, kind="token") is None
        listed = store.accounts.credentials(account.id, kind="token")
        assert [c.label for c in listed] == ["script"] and listed[0].last_used_at is not None
        other = store.accounts.create(email="b@x.org", password_hash=None, role="athlete")
        assert not store.accounts.end_credential(other.id, live, kind="token")
        assert store.accounts.end_credential(account.id, live, kind="token")
        assert store.accounts.credential("a" * 64, kind="token") is None




def test_one_cache_per_database_shared_by_every_account_and_bounded() -> None:
    from hamstride.store.kept import Kept

    with Store.open("sqlite://") as store:
        other = store.scoped(store.account + 1)
        assert other.kept is store.kept  # one cache, owned by the open database
        assert other.key != store.key  # what an answer is kept under tells them apart
    kept = Kept(limit=3)
    for n in range(3):
        kept.put(("today", n), n)
    kept.put(("plan", 9), 9)  # full: emptied first, never grows past its bound
    assert len(kept) == 1 and kept.get(("plan", 9)) == 9
    kept.put(("today", 1), 1)
    kept.forget("today")
    assert kept.get(("today", 1)) is None and kept.get(("plan", 9)) == 9


def test_a_kind_kept_under_its_own_bound_drops_its_oldest_only() -> None:
    from hamstride.store.kept import Kept

    kept = Kept()
    kept.put(("today", 0), 0)
    for n in range(5):
        kept.put(("plan", n), n, at_most=2)
    assert [kept.get(("plan", n)) for n in range(5)] == [None, None, None, 3, 4]
    kept.put(("plan", 3), 3, at_most=2)  # put again: the newest now
    kept.put(("plan", 5), 5, at_most=2)
    assert kept.get(("plan", 4)) is None and kept.get(("plan", 3)) == 3
    assert kept.get(("today", 0)) == 0 and len(kept) == 3
