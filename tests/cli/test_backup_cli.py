"""``hamstride backup FILE`` and ``hamstride restore FILE``, as a runner types them: on
SQLite always, from PostgreSQL too when HAMSTRIDE_TEST_PG_URL is set."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from hamstride.cli.backup_commands import file_size
from hamstride.store.models import Base
from tests.cli.conftest import EXAMPLES, START, Invoke, assert_clean_error

PROFILE = next(p for p in EXAMPLES if p.name == "gym_marathoner.json")
TABLES = len(Base.metadata.sorted_tables)


def _filled(invoke: Invoke, db: str) -> None:
    for args in (
        ("plan", str(PROFILE), "--start", START, "--weeks", "3"),
        ("log", "--date", "2026-12-01", "--set", "squat:8x3,load=20,rpe=7",
         "--session-rpe", "6", "--no-input"),
        ("field-test", "--kind", "single_leg_bridge", "--left", "22", "--right", "26"),
    ):
        result = invoke(*args, "--db", db)
        assert result.exit_code == 0, result.output


def _listing(invoke: Invoke, db: str) -> tuple[object, ...]:
    found = []
    for args in (("plans",), ("log", "list"), ("field-test", "list")):
        result = invoke(*args, "--format", "json", "--db", db)
        assert result.exit_code == 0, result.output
        found.append(json.loads(result.stdout))
    return tuple(found)


def test_backup_cli_round_trip(invoke: Invoke, db_url: str, tmp_path: Path) -> None:
    _filled(invoke, db_url)
    file = tmp_path / "hamstride-backup.zip"
    made = invoke("backup", str(file), "--db", db_url)
    assert made.exit_code == 0, made.output
    with zipfile.ZipFile(file) as archive:
        rows = sum(t["rows"] for t in json.loads(archive.read("manifest.json"))["tables"])
    size = file_size(file.stat().st_size)
    assert made.stdout.strip().splitlines() == [
        f"Backed up {TABLES} tables, {rows} rows from {db_url} to {file} ({size})."]

    target = f"sqlite:///{tmp_path / 'restored.db'}"
    loaded = invoke("restore", str(file), "--db", target)
    assert loaded.exit_code == 0, loaded.output
    assert loaded.stdout.strip() == (f"Restored {TABLES} tables, {rows} rows from {file} "
                                     f"({size}) into {target}.")
    assert _listing(invoke, target) == _listing(invoke, db_url)


def test_backup_cli_refuses_to_overwrite_without_force(invoke: Invoke, db: str,
                                                       tmp_path: Path) -> None:
    file = tmp_path / "b.zip"
    file.write_text("an older backup")
    refused = invoke("backup", str(file), "--db", db)
    assert_clean_error(refused, str(file), "already exists", "--force")
    assert file.read_text() == "an older backup"
    assert not Path(db.removeprefix("sqlite:///")).exists()  # refused before opening it
    forced = invoke("backup", str(file), "--force", "--db", db)
    assert forced.exit_code == 0, forced.output
    assert zipfile.is_zipfile(file)


def test_backup_cli_refuses_a_folder_that_does_not_exist(invoke: Invoke, db: str,
                                                         tmp_path: Path) -> None:
    result = invoke("backup", str(tmp_path / "nowhere" / "b.zip"), "--db", db)
    assert_clean_error(result, "does not exist")


def test_restore_cli_refuses_a_database_with_rows(invoke: Invoke, db: str,
                                                  tmp_path: Path) -> None:
    _filled(invoke, db)
    file = tmp_path / "b.zip"
    assert invoke("backup", str(file), "--db", db).exit_code == 0
    before = _listing(invoke, db)
    result = invoke("restore", str(file), "--db", db)
    assert_clean_error(result, "not empty", "profiles")
    assert _listing(invoke, db) == before


@pytest.mark.parametrize(("content", "needle"), [
    (None, "no such backup file"),
    (b"profile,plans\n", "not a hamstride backup"),
])
def test_restore_cli_refuses_a_bad_file_before_making_a_database(
    invoke: Invoke, tmp_path: Path, content: bytes | None, needle: str
) -> None:
    file = tmp_path / "b.zip"
    if content is not None:
        file.write_bytes(content)
    target = tmp_path / "new.db"
    result = invoke("restore", str(file), "--db", f"sqlite:///{target}")
    assert_clean_error(result, str(file), needle)
    assert not target.exists()


def test_restore_cli_refuses_another_revision(invoke: Invoke, db: str, tmp_path: Path) -> None:
    file = tmp_path / "b.zip"
    assert invoke("backup", str(file), "--db", db).exit_code == 0
    old = tmp_path / "old.zip"
    with zipfile.ZipFile(file) as source, zipfile.ZipFile(old, "w") as copy:
        for name in source.namelist():
            data = source.read(name)
            if name == "manifest.json":
                data = re.sub(rb'"revision": "\d+"', b'"revision": "0001"', data)
            copy.writestr(name, data)
    result = invoke("restore", str(old), "--db", f"sqlite:///{tmp_path / 'new.db'}")
    assert_clean_error(result, "revision 0001", "needs revision")


@pytest.mark.parametrize(("size", "shown"), [
    (0, "0 bytes"), (1, "1 byte"), (999, "999 bytes"), (1000, "1.0 kB"), (14_249, "14.2 kB"),
    (999_949, "999.9 kB"), (999_950, "1.0 MB"), (3_100_000, "3.1 MB"),
    (2_000_000_000, "2.0 GB"), (5_000_000_000_000, "5.0 TB"),
])
def test_backup_cli_file_size(size: int, shown: str) -> None:
    assert file_size(size) == shown
