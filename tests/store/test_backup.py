"""Backup and restore: every table, row and column survives SQLite and PostgreSQL in any
direction; a file that is not a good backup, or a database with rows, is refused and the
target stays as it was."""

from __future__ import annotations

import io
import json
import os
import uuid
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    Time,
    Uuid,
    create_engine,
    insert,
    select,
)

from hamstride.errors import InputError, StoreError
from hamstride.store import Store
from hamstride.store import backup as backup_module
from hamstride.store.backup import FORMAT, backup, inspect_backup, restore
from hamstride.store.migrate import HEAD_REVISION
from hamstride.store.models import Base
from hamstride.training.activity import Activity, Lap, SourceFormat, Sport
from hamstride.training.log import field_test_from_data, session_from_data
from tests.conftest import PG_ENV, _reset_schema

DAY = date(2026, 11, 2)
# the tables this test fills; a table added later is compared too, whatever it holds
FILLED = ("profiles", "plans", "log_sessions", "log_sets", "field_tests", "activities")
Rows = dict[str, list[dict[str, Any]]]


# -- filling and reading a database ------------------------------------------------------

def _activity(start: datetime, **fields: Any) -> Activity:
    values: dict[str, Any] = {
        "sport": Sport.RUNNING, "start": start, "duration_s": 3000.0, "moving_s": 2950.5,
        "distance_m": 10_000.0, "source": SourceFormat.FIT,
        "laps": (Lap(start=start, duration_s=3000.0, distance_m=10_000.0),), **fields,
    }
    return Activity(**values)


def _fill(store: Store) -> None:
    """Something in every table, through the Store's own methods: unicode, None, floats,
    booleans, dates, timestamps and a start with an offset."""
    store.save_profile(name="Ingrid Mjølsnes", document={
        "schema": "hamstride.profile/1", "club": "Løpeklubben Ærøy 🏃", "level": 2,
        "weekly_km": 42.5, "flags": [True, False], "notes": None, "nested": {"a": [1, 2.25]}})
    store.save_profile(name="bo", document={"name": "bo"})
    store.save_plan(profile_name="Ingrid Mjølsnes", start=DAY, weeks=6, document={"w": 6})
    store.save_plan(profile_name="bo", start=DAY, weeks=4, document={"w": [1, 2, 3, 4]})
    store.save_plan(profile_name="Ingrid Mjølsnes", start=DAY + timedelta(days=7), weeks=8,
                    document={"w": 8, "ratio": 0.1})  # the first is inactive now
    rich = session_from_data({
        "id": "phone:1", "date": DAY.isoformat(), "duration_min": 42.5, "session_rpe": 7,
        "pain": 2, "notes": "Kald morgen — «nordics» felt heavy",
        "sets": [
            {"exercise": "nordic_curl", "reps": 4, "side": "both", "rpe": 8.5, "pain": 2},
            {"exercise": "single_leg_bridge", "reps": 12, "side": "left", "band": "red"},
            {"exercise": "isometric_bridge", "hold_s": 45, "side": "right", "load_kg": 12.5},
        ]})
    bare = session_from_data({"date": (DAY + timedelta(days=2)).isoformat()})
    store.save_log_sessions(profile_name="Ingrid Mjølsnes", sessions=[rich, bare])
    store.save_log_sessions(profile_name="bo", sessions=[session_from_data(
        {"date": DAY.isoformat(), "sets": [{"exercise": "squat", "reps": 8}]})])
    store.set_morning_pain(profile_name="Ingrid Mjølsnes", client_id="phone:1", on=None,
                           pain=1)
    store.save_field_tests(profile_name="Ingrid Mjølsnes", tests=[
        field_test_from_data({"id": "t1", "date": DAY.isoformat(), "kind": "single_leg_bridge",
                              "left": 20, "right": 17.5, "notes": "box 60 cm"}),
        field_test_from_data({"date": DAY.isoformat(), "kind": "nordic_angle", "left": 32.5,
                              "right": 30})])
    local = datetime(2026, 11, 1, 7, 30, 15, 250_000, tzinfo=timezone(timedelta(hours=-5)))
    runs = [_activity(local, avg_hr=151, name="Sunday long"),
            _activity(datetime(2026, 11, 3, 18, 0, tzinfo=UTC), rpe=4)]
    store.save_activities(profile_name="Ingrid Mjølsnes", activities=runs, label="a.fit")
    store.set_activity_kind(profile_name="Ingrid Mjølsnes", activity_id=runs[0].id,
                            kind="long")


def _dump(url: str, metadata: MetaData = Base.metadata) -> Rows:
    """Every row of every table, by primary key; timestamps with a time zone as aware UTC
    (SQLite hands them back naive, meaning UTC)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {table.name: [
                {column.name: _utc(column, value) for column, value in zip(
                    table.columns, row, strict=True)}
                for row in connection.execute(
                    select(table).order_by(*table.primary_key.columns))]
                for table in metadata.sorted_tables}
    finally:
        engine.dispose()


def _utc(column: Column[Any], value: Any) -> Any:
    if not isinstance(value, datetime) or not getattr(column.type, "timezone", False):
        return value
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _empty(url: str) -> bool:
    """Nothing but what a new database holds: the local owner's account, no e-mail."""
    rows = _dump(url)
    owner = rows.pop("accounts")
    return not any(rows.values()) and len(owner) == 1 and owner[0]["email"] is None


# -- backends -------------------------------------------------------------------------------

def _pairs() -> list[Any]:
    pairs = [pytest.param("sqlite", "sqlite", id="sqlite-to-sqlite")]
    if os.environ.get(PG_ENV):
        for source, target in (("sqlite", "postgresql"), ("postgresql", "sqlite"),
                               ("postgresql", "postgresql")):
            pairs.append(pytest.param(source, target, id=f"{source}-to-{target}",
                                      marks=pytest.mark.postgres))
    return pairs


def _url(backend: str, path: Path, request: pytest.FixtureRequest) -> str:
    """A new, empty database; on PostgreSQL the session's one database, reset (so a
    PostgreSQL target replaces a PostgreSQL source: dump the source first)."""
    if backend == "sqlite":
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("pg_database_url")
    _reset_schema(url)
    return url


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One backup of a filled SQLite database, for the tests that only read it."""
    folder = tmp_path_factory.mktemp("sample")
    with Store.open(f"sqlite:///{folder / 'source.db'}") as store:
        _fill(store)
        backup(store, folder / "sample.zip")
    return folder / "sample.zip"


@pytest.fixture
def target(db_url: str) -> Iterator[Store]:
    with Store.open(db_url) as store:
        yield store


# -- round trips ----------------------------------------------------------------------------

@pytest.mark.parametrize(("source", "destination"), _pairs())
def test_backup_round_trips_every_row_and_column(
    source: str, destination: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    source_url = _url(source, tmp_path / "source.db", request)
    file = tmp_path / "backup.zip"
    with Store.open(source_url) as store:
        _fill(store)
        written = backup(store, file)
    before = _dump(source_url)
    assert all(before[name] for name in FILLED), {k: len(v) for k, v in before.items()}
    assert dict(written.rows) == {name: len(rows) for name, rows in before.items()}
    assert written.size == file.stat().st_size

    target_url = _url(destination, tmp_path / "target.db", request)
    with Store.open(target_url) as store:
        loaded = restore(store, file)
        assert [p.name for p in store.list_profiles()] == ["Ingrid Mjølsnes", "bo"]
    assert dict(loaded.rows) == dict(written.rows)
    assert _dump(target_url) == before


def test_backup_manifest_says_what_the_file_is(sample: Path) -> None:
    with zipfile.ZipFile(sample) as archive:
        data = json.loads(archive.read("manifest.json"))
        names = set(archive.namelist())
    assert data["schema"] == FORMAT == "hamstride.backup/1"
    assert data["revision"] == HEAD_REVISION
    assert data["hamstride"] == "0.1.0"
    assert datetime.fromisoformat(data["created_at"]).tzinfo is not None
    assert [t["name"] for t in data["tables"]] == [t.name for t in Base.metadata.sorted_tables]
    assert names == {"manifest.json", *(t["file"] for t in data["tables"])}
    profiles = next(t for t in data["tables"] if t["name"] == "profiles")
    assert profiles["rows"] == 2
    assert profiles["columns"] == ["id", "account_id", "name", "document", "created_at",
                                   "updated_at"]
    manifest = inspect_backup(sample)
    assert manifest.revision == HEAD_REVISION
    assert manifest.rows == sum(t["rows"] for t in data["tables"])


def test_backup_every_model_column_has_a_codec() -> None:
    """A column type the backup cannot carry fails here, not in a user's backup."""
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            backup_module._codec(column)


def test_backup_carries_column_types_the_models_do_not_use_yet(
    db_url: str, tmp_path: Path
) -> None:
    """A table added later with other types is backed up with no change to the backup."""
    metadata = MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(metadata)
    extras = Table(
        "backup_extras", metadata,
        Column("id", Integer, primary_key=True), Column("big", BigInteger),
        Column("amount", Numeric(12, 3)), Column("ratio", Float), Column("flag", Boolean),
        Column("label", String(20)), Column("body", Text), Column("day", Date),
        Column("naive", DateTime()), Column("aware", DateTime(timezone=True)),
        Column("clock", Time), Column("blob", LargeBinary), Column("uid", Uuid),
        Column("doc", JSON), Column("mood", Enum("calm", "tense", name="backup_mood")),
    )
    row = {"id": 7, "big": 2**40, "amount": Decimal("1234.567"), "ratio": -0.1, "flag": False,
           "label": "ø", "body": "line\nbreak", "day": date(2026, 2, 28),
           "naive": datetime(2026, 2, 28, 23, 59, 59, 999_999),
           "aware": datetime(2026, 2, 28, 12, 0, 0, 1, tzinfo=UTC),  # hamstride writes UTC
           "clock": time(6, 30, 5), "blob": bytes(range(256)), "uid": uuid.uuid4(),
           "doc": [1, {"x": None}], "mood": "tense"}
    empty = {"id": 8, **{column.name: None for column in extras.columns if column.name != "id"}}
    source_url = f"sqlite:///{tmp_path / 'source.db'}"
    with Store.open(source_url) as store:
        extras.create(store.engine)
        with store.engine.begin() as connection:
            connection.execute(insert(extras), [row, empty])
        backup(store, tmp_path / "b.zip", metadata=metadata)
    with Store.open(db_url) as store:
        extras.create(store.engine)
        restore(store, tmp_path / "b.zip", metadata=metadata)
    restored = _dump(db_url, metadata)["backup_extras"]
    assert restored[0] == row
    assert restored[1] == empty


def test_backup_reads_one_snapshot(db_url: str, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A plan saved while the backup runs, after profiles were read, is not in it: the
    file never holds a plan without its profile."""
    write_table = backup_module._write_table

    def then_write_elsewhere(connection: Any, table: Table, *args: Any) -> int:
        count = write_table(connection, table, *args)
        if table.name == "profiles":
            with Store.open(db_url) as other:
                other.save_profile(name="late", document={})
                other.save_plan(profile_name="late", start=DAY, weeks=1, document={})
        return count

    monkeypatch.setattr(backup_module, "_write_table", then_write_elsewhere)
    with Store.open(db_url) as store:
        _fill(store)
        written = backup(store, tmp_path / "b.zip")
        assert len(store.list_plans()) == 4
    assert written.rows["profiles"] == 2
    assert written.rows["plans"] == 3


# -- what the backup refuses, and what a failure leaves -------------------------------------

def test_backup_refuses_an_existing_file_unless_told(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    file = folder / "b.zip"
    file.write_text("keep me")
    with Store.open(f"sqlite:///{tmp_path / 'db.db'}") as store:
        with pytest.raises(InputError, match="already exists; use --force"):
            backup(store, file)
        assert file.read_text() == "keep me"
        backup(store, file, overwrite=True)
    assert inspect_backup(file).rows == 1  # the local owner's account
    assert [p.name for p in folder.iterdir()] == ["b.zip"]
    assert file.stat().st_mode & 0o077 == 0  # health data: the owner's only


def test_backup_that_fails_leaves_no_file_and_the_old_one_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_table = backup_module._write_table

    def fail_at_plans(connection: Any, table: Table, *args: Any) -> int:
        if table.name == "plans":
            raise OSError(28, "No space left on device")
        return write_table(connection, table, *args)

    monkeypatch.setattr(backup_module, "_write_table", fail_at_plans)
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "old.zip").write_bytes(b"the previous backup")
    with Store.open(f"sqlite:///{tmp_path / 'db.db'}") as store:
        _fill(store)
        with pytest.raises(InputError, match="No space left on device"):
            backup(store, folder / "new.zip")
        with pytest.raises(InputError, match="No space left on device"):
            backup(store, folder / "old.zip", overwrite=True)
    assert [p.name for p in folder.iterdir()] == ["old.zip"]
    assert (folder / "old.zip").read_bytes() == b"the previous backup"


@pytest.mark.parametrize(("where", "needle"), [("missing/b.zip", "does not exist"),
                                               (".", "is a directory")])
def test_backup_refuses_a_path_that_cannot_be_the_file(where: str, needle: str,
                                                       tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'db.db'}") as store, \
            pytest.raises(InputError, match=needle):
        backup(store, tmp_path / where)


def test_backup_refuses_a_database_at_another_revision(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.db'}"
    Store.open(url).close()
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
        with pytest.raises(StoreError, match="revision 0001"):
            backup(engine, tmp_path / "b.zip")
    finally:
        engine.dispose()
    assert not (tmp_path / "b.zip").exists()


# -- what the restore refuses ---------------------------------------------------------------

def test_restore_refuses_a_database_with_rows(sample: Path, db_url: str,
                                             target: Store) -> None:
    target.save_profile(name="already here", document={})
    before = _dump(db_url)
    with pytest.raises(InputError, match=r"not empty \(rows in accounts, profiles\)"):
        restore(target, sample)
    assert _dump(db_url) == before


def _rewritten(sample: Path, folder: Path,
               change: Callable[[str, bytes], bytes | None]) -> Path:
    """A copy of the sample with each member passed through ``change`` (None drops it)."""
    out = folder / "changed.zip"
    with zipfile.ZipFile(sample) as source, zipfile.ZipFile(out, "w") as copy:
        for name in source.namelist():
            data = change(name, source.read(name))
            if data is not None:
                copy.writestr(name, data)
    return out


def _manifest(change: Callable[[dict[str, Any]], None]) -> Callable[[str, bytes], bytes]:
    def edit(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        change(manifest)
        return json.dumps(manifest).encode()
    return edit


def _member(table: str, edit: Callable[[list[str]], list[str]]
            ) -> Callable[[str, bytes], bytes]:
    def change(name: str, data: bytes) -> bytes:
        if name != f"tables/{table}.jsonl":
            return data
        return "".join(line + "\n" for line in edit(data.decode().splitlines())).encode()
    return change


def _set(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(manifest: dict[str, Any]) -> None:
        manifest[field] = value
    return change


def _first_row(column: str, value: Any) -> Callable[[list[str]], list[str]]:
    def edit(lines: list[str]) -> list[str]:
        row = json.loads(lines[0])
        row[column] = value
        return [json.dumps(row), *lines[1:]]
    return edit


def _flip_middle(sample: Path, folder: Path) -> Path:
    """The sample with bytes inside the activities' compressed data changed."""
    data = bytearray(sample.read_bytes())
    with zipfile.ZipFile(sample) as archive:
        info = archive.getinfo("tables/activities.jsonl")
    header = info.header_offset  # the local header's own name and extra lengths
    start = header + 30 + int.from_bytes(data[header + 26:header + 28], "little") \
        + int.from_bytes(data[header + 28:header + 30], "little")
    assert info.compress_size > 40
    for offset in range(start + 10, start + 20):
        data[offset] ^= 0xFF
    out = folder / "flipped.zip"
    out.write_bytes(bytes(data))
    return out


def _drop_manifest(name: str, data: bytes) -> bytes | None:
    return None if name == "manifest.json" else data


def _no_table_list(manifest: dict[str, Any]) -> None:
    del manifest["tables"]


def _lose_table(manifest: dict[str, Any]) -> None:
    manifest["tables"] = [t for t in manifest["tables"] if t["name"] != "log_sets"]


def _rename_column(manifest: dict[str, Any]) -> None:
    plans = next(t for t in manifest["tables"] if t["name"] == "plans")
    plans["columns"] = [c if c != "weeks" else "length" for c in plans["columns"]]


BAD_FILES: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "not a zip": (lambda s, f: _write(f / "notes.zip", b"just some text\n"),
                  "not a hamstride backup (not a zip"),
    "empty file": (lambda s, f: _write(f / "empty.zip", b""), "not a zip"),
    "truncated": (lambda s, f: _write(f / "cut.zip", s.read_bytes()[: s.stat().st_size // 2]),
                  "truncated"),
    "no manifest": (lambda s, f: _rewritten(s, f, _drop_manifest), "no manifest.json"),
    "manifest not JSON": (lambda s, f: _rewritten(
        s, f, lambda n, d: b"{oops" if n == "manifest.json" else d), "not JSON"),
    "another format": (lambda s, f: _rewritten(s, f, _manifest(_set("schema", "x.y/1"))),
                       "its schema is 'x.y/1'"),
    "newer format": (lambda s, f: _rewritten(
        s, f, _manifest(_set("schema", "hamstride.backup/2"))), "hamstride.backup/2"),
    "older revision": (lambda s, f: _rewritten(s, f, _manifest(_set("revision", "0002"))),
                       f"revision 0002 (made by hamstride 0.1.0); this version of hamstride "
                       f"needs revision {HEAD_REVISION}: restore it with that version, then "
                       "open the database with this one"),
    "newer revision": (lambda s, f: _rewritten(s, f, _manifest(_set("revision", "9999"))),
                       f"revision 9999 (made by hamstride 0.1.0); this version of hamstride "
                       f"needs revision {HEAD_REVISION}: restore it with that version or a "
                       "newer one"),
    "corrupt manifest": (lambda s, f: _rewritten(s, f, _manifest(_no_table_list)),
                         "corrupt (no table list)"),
    "a table missing": (lambda s, f: _rewritten(s, f, _manifest(_lose_table)),
                        "missing: log_sets"),
    "other columns": (lambda s, f: _rewritten(s, f, _manifest(_rename_column)),
                      "table plans has columns"),
    "member missing": (lambda s, f: _rewritten(
        s, f, lambda n, d: None if n == "tables/log_sets.jsonl" else d),
        "no tables/log_sets.jsonl"),
    "flipped bytes": (_flip_middle, "corrupt"),
    "a row short": (lambda s, f: _rewritten(s, f, _member("log_sets", lambda ls: ls[:-1])),
                    "has 3 rows, the manifest says 4"),
    "a line not JSON": (lambda s, f: _rewritten(
        s, f, _member("field_tests", lambda ls: [*ls[:-1], "{"])), "line 2 is not JSON"),
    "a column missing": (lambda s, f: _rewritten(
        s, f, _member("plans", lambda ls: ['{"id": 1}', *ls[1:]])),
        "line 1 does not hold the columns of plans"),
    "a bad date": (lambda s, f: _rewritten(
        s, f, _member("plans", _first_row("start", "next monday"))),
        "column start: expected a date YYYY-MM-DD"),
    "a naive timestamp": (lambda s, f: _rewritten(
        s, f, _member("activities", _first_row("start", "2026-11-01T12:30:15"))),
        "with a UTC offset"),
    "a string for a number": (lambda s, f: _rewritten(
        s, f, _member("log_sets", _first_row("reps", "4"))), "expected an integer"),
    "a row without its parent": (lambda s, f: _rewritten(
        s, f, _member("log_sets", _first_row("session_id", 999))),
        "the database refused the backup's rows"),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_restore_refuses_a_bad_file_and_leaves_the_target_empty(
    case: str, sample: Path, tmp_path: Path, db_url: str, target: Store
) -> None:
    make, needle = BAD_FILES[case]
    bad = make(sample, tmp_path)
    with pytest.raises(InputError) as caught:
        restore(target, bad)
    message = str(caught.value)
    assert needle in message
    assert str(bad) in message
    assert "\n" not in message
    assert _empty(db_url)
    restore(target, sample)  # the target took nothing: the good file still goes in
    assert not _empty(db_url)


def test_restore_refuses_what_is_not_a_file(tmp_path: Path, target: Store) -> None:
    with pytest.raises(InputError, match="no such backup file"):
        restore(target, tmp_path / "nothing.zip")
    with pytest.raises(InputError, match="is a directory"):
        restore(target, tmp_path)


def test_restore_refuses_an_overlong_line(
    sample: Path, tmp_path: Path, target: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup_module, "MAX_LINE_CHARS", 50)
    with pytest.raises(InputError, match="longer than 50 characters"):
        restore(target, sample)


# -- after a restore ------------------------------------------------------------------------

def test_restore_new_rows_continue_after_the_restored_ids(
    sample: Path, db_url: str, target: Store
) -> None:
    """PostgreSQL's id sequences are moved past the restored ids (SQLite needs nothing)."""
    restore(target, sample)
    highest = {name: max(row["id"] for row in rows) for name, rows in _dump(db_url).items()
               if name in FILLED}
    profile = target.save_profile(name="new runner", document={})
    plan = target.save_plan(profile_name="new runner", start=DAY, weeks=2, document={})
    assert (profile.id, plan.id) == (highest["profiles"] + 1, highest["plans"] + 1)
    target.save_log_sessions(profile_name="new runner", sessions=[session_from_data(
        {"date": DAY.isoformat(), "sets": [{"exercise": "squat", "reps": 5}]})])
    target.save_field_tests(profile_name="new runner", tests=[field_test_from_data(
        {"date": DAY.isoformat(), "kind": "nordic_angle", "left": 30, "right": 30})])
    target.save_activities(profile_name="new runner", label="b.fit",
                           activities=[_activity(datetime(2026, 12, 1, tzinfo=UTC))])
    after = _dump(db_url)
    for name in FILLED:
        assert max(row["id"] for row in after[name]) == highest[name] + 1, name


def test_restore_into_an_engine_and_backup_from_one(sample: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.db'}"
    Store.open(url).close()
    engine = create_engine(url)
    try:
        restore(engine, sample)
        again = backup(engine, tmp_path / "again.zip")
    finally:
        engine.dispose()
    assert dict(again.rows) == {t.name: t.rows for t in inspect_backup(sample).tables}
    with zipfile.ZipFile(sample) as first, zipfile.ZipFile(tmp_path / "again.zip") as second:
        for name in first.namelist():
            if name != "manifest.json":
                assert first.read(name) == second.read(name), name


def test_backup_streams_rows_line_by_line(sample: Path) -> None:
    with zipfile.ZipFile(sample) as archive, archive.open("tables/log_sets.jsonl") as raw:
        lines = io.TextIOWrapper(raw, encoding="utf-8").read().splitlines()
    rows = [json.loads(line) for line in lines]
    assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)
    assert rows[1]["band"] == "red" and rows[1]["load_kg"] is None
