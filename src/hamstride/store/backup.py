"""Back up a whole database to one file, and restore it into an empty one.

The file is a zip archive (``hamstride.backup/1``)::

    manifest.json               what the file is: format, hamstride version, the schema
                                revision, when, and each table's columns and row count
    tables/<table>.jsonl        one JSON object per row, keys the column names

Every table of ``Base.metadata`` is written (in ``sorted_tables`` order, so a table added
later is included with no change here) and every column is encoded by its SQLAlchemy type
(see ``_codec``). The backup reads one consistent snapshot (one read transaction;
REPEATABLE READ on PostgreSQL), streams rows into the archive, and writes a temporary
file in the target's folder that is renamed over the target only once complete.

A restore goes into an empty database at the same schema revision, in one transaction
(all or nothing), keeping primary keys; on PostgreSQL each table's id sequence then
continues after the highest id. A file that is not a backup, is corrupt or is from
another revision is an ``InputError``; trouble with the database is a ``StoreError``.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import tempfile
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Time,
    Uuid,
    delete,
    func,
    insert,
    literal,
    select,
    text,
)
from sqlalchemy.exc import DataError, IntegrityError, SQLAlchemyError

from hamstride import __version__
from hamstride.errors import InputError, StoreError
from hamstride.store.migrate import HEAD_REVISION, alembic_config
from hamstride.store.models import Account, Base
from hamstride.store.repository import Store

_ACCOUNTS = cast(Table, Account.__table__)
FORMAT = "hamstride.backup/1"
MANIFEST = "manifest.json"
TABLES_FOLDER = "tables"
BATCH_ROWS = 500  # rows fetched, and inserted, per round trip
MAX_LINE_CHARS = 64_000_000  # one row's JSON line; a longer one is not ours
MAX_MANIFEST_BYTES = 1_000_000

Source = Store | Engine


@dataclass(frozen=True)
class TableEntry:
    """One table as the manifest describes it."""

    name: str
    member: str
    columns: tuple[str, ...]
    rows: int


@dataclass(frozen=True)
class Manifest:
    """What a backup file says about itself (``manifest.json``)."""

    hamstride_version: str
    revision: str
    created_at: str
    dialect: str
    tables: tuple[TableEntry, ...]

    @property
    def rows(self) -> int:
        return sum(entry.rows for entry in self.tables)


@dataclass(frozen=True)
class BackupSummary:
    """What a backup wrote or a restore loaded: rows by table, and the file's size."""

    path: Path
    revision: str
    rows: Mapping[str, int]
    size: int

    @property
    def tables(self) -> int:
        return len(self.rows)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


# -- backup -----------------------------------------------------------------------------------

def backup(source: Source, path: Path | str, *, overwrite: bool = False,
           metadata: MetaData = Base.metadata) -> BackupSummary:
    """Write every table of ``metadata`` in the database to the archive at ``path``.

    Without ``overwrite`` an existing file is refused. A failure leaves no file behind
    (and an existing one untouched)."""
    path = Path(path)
    engine = _engine(source)
    codecs = {table.name: _codecs(table) for table in metadata.sorted_tables}
    _check_target(path, overwrite=overwrite)
    url = engine.url.render_as_string(hide_password=True)
    handle, temp = _temporary_file(path)
    try:
        with handle:
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                manifest = _write_archive(engine, archive, metadata, codecs, url)
            handle.flush()
            os.fsync(handle.fileno())
        if not overwrite and path.exists():  # made while we were writing
            raise InputError(f"{path} already exists; use --force to overwrite it.")
        temp.replace(path)
    except OSError as exc:
        _remove(temp)
        raise InputError(f"cannot write the backup to {path} ({exc.strerror or exc}).") \
            from exc
    except BaseException:
        _remove(temp)
        raise
    _sync_folder(path.parent)
    return BackupSummary(path, manifest.revision, {t.name: t.rows for t in manifest.tables},
                         path.stat().st_size)


def _write_archive(engine: Engine, archive: zipfile.ZipFile, metadata: MetaData,
                   codecs: Mapping[str, Sequence[_Codec]], url: str) -> Manifest:
    entries: list[TableEntry] = []
    try:
        with _snapshot(engine) as connection:
            revision = _revision(connection, url)
            if revision != HEAD_REVISION:
                raise StoreError(f"cannot back up {url}: it is at schema revision {revision}, "
                                 f"this version of hamstride writes revision {HEAD_REVISION}.")
            dialect = connection.dialect.name
            for table in metadata.sorted_tables:
                member = f"{TABLES_FOLDER}/{table.name}.jsonl"
                rows = _write_table(connection, table, codecs[table.name], archive, member)
                entries.append(TableEntry(table.name, member,
                                          tuple(c.name for c in table.columns), rows))
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot back up {url}: {_reason(exc)}") from exc
    manifest = Manifest(__version__, revision, datetime.now(UTC).isoformat(timespec="seconds"),
                        dialect, tuple(entries))
    archive.writestr(MANIFEST, json.dumps(_manifest_data(manifest), indent=2) + "\n")
    return manifest


@contextlib.contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """One read-only transaction that sees one state of the whole database."""
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(isolation_level="REPEATABLE READ",
                                          postgresql_readonly=True)
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # pysqlite opens no transaction for reads: without BEGIN each SELECT would see
            # the database as it is then. WAL keeps this snapshot from blocking writers.
            connection.exec_driver_sql("BEGIN")
        try:
            yield connection
        finally:
            connection.rollback()


def _write_table(connection: Connection, table: Table, codecs: Sequence[_Codec],
                 archive: zipfile.ZipFile, member: str) -> int:
    """Stream the table's rows, by primary key, into one JSON-lines member; how many."""
    names = [column.name for column in table.columns]
    query = select(table).order_by(*table.primary_key.columns)
    result = connection.execution_options(yield_per=BATCH_ROWS).execute(query)
    count = 0
    with archive.open(member, "w", force_zip64=True) as raw, \
            io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as out:
        for row in result:
            values = {name: None if value is None else codec.encode(value)
                      for name, codec, value in zip(names, codecs, row, strict=True)}
            try:
                line = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
            except (TypeError, ValueError) as exc:
                raise StoreError(f"cannot back up table {table.name}: a row is not JSON "
                                 f"({exc}).") from exc
            out.write(line + "\n")
            count += 1
    return count


# -- restore ----------------------------------------------------------------------------------

def inspect_backup(path: Path | str, *, metadata: MetaData = Base.metadata) -> Manifest:
    """The file's manifest, checked against this version's schema, without touching any
    database: a file that cannot be restored is refused here."""
    path = Path(path)
    with _open_archive(path) as archive:
        return _manifest(archive, path, metadata)


def restore(target: Source, path: Path | str, *,
            metadata: MetaData = Base.metadata) -> BackupSummary:
    """Load the backup at ``path`` into the empty database of ``target``, all or nothing."""
    path = Path(path)
    engine = _engine(target)
    url = engine.url.render_as_string(hide_password=True)
    with _open_archive(path) as archive:
        manifest = _manifest(archive, path, metadata)
        entries = {entry.name: entry for entry in manifest.tables}
        try:
            with engine.begin() as connection:
                _lock_for_restore(connection, metadata.sorted_tables)
                revision = _revision(connection, url)
                if revision != manifest.revision:
                    raise StoreError(f"cannot restore into {url}: it is at schema revision "
                                     f"{revision}, the backup at {manifest.revision}.")
                _check_empty(connection, metadata.sorted_tables, url)
                for table in metadata.sorted_tables:
                    _restore_table(connection, archive, path, table, entries[table.name])
                if connection.dialect.name == "postgresql":
                    _reset_sequences(connection, metadata.sorted_tables)
        except (IntegrityError, DataError) as exc:
            raise InputError(f"{path}: the database refused the backup's rows "
                             f"({_reason(exc)}); nothing was restored.") from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot restore into {url}: {_reason(exc)}; nothing was "
                             "restored.") from exc
    return BackupSummary(path, manifest.revision, {t.name: t.rows for t in manifest.tables},
                         path.stat().st_size)


@contextlib.contextmanager
def _open_archive(path: Path) -> Iterator[zipfile.ZipFile]:
    """The zip archive at ``path``; reading errors inside the block become InputError."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such backup file.") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path}: is a directory, not a backup file.") from exc
    except (zipfile.BadZipFile, EOFError) as exc:
        raise InputError(f"{path}: not a hamstride backup (not a zip archive, or a "
                         "truncated one).") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read the backup ({exc.strerror or exc}).") from exc
    try:
        with archive:
            yield archive
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise InputError(f"{path}: the backup is corrupt ({exc}); nothing was "
                         "restored.") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read the backup ({exc.strerror or exc}).") from exc


def _manifest(archive: zipfile.ZipFile, path: Path, metadata: MetaData) -> Manifest:
    """The manifest, checked: our format, this schema revision, these tables and columns."""
    try:
        info = archive.getinfo(MANIFEST)
    except KeyError:
        raise InputError(f"{path}: not a hamstride backup (no {MANIFEST}).") from None
    if info.file_size > MAX_MANIFEST_BYTES:
        raise InputError(f"{path}: not a hamstride backup ({MANIFEST} is too large).")
    try:
        data = json.loads(archive.read(info).decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{path}: not a hamstride backup ({MANIFEST} is not JSON).") from exc
    if not isinstance(data, dict) or not isinstance(data.get("schema"), str):
        raise InputError(f"{path}: not a hamstride backup ({MANIFEST} names no schema).")
    if data["schema"] != FORMAT:
        if data["schema"].startswith(FORMAT.split("/")[0] + "/"):
            raise InputError(f"{path}: the backup is in format {data['schema']}; this version "
                             f"of hamstride reads {FORMAT}.")
        raise InputError(f"{path}: not a hamstride backup (its schema is {data['schema']!r}).")
    manifest = _parse_manifest(data, path)
    if manifest.revision != HEAD_REVISION:
        advice = ("restore it with that version, then open the database with this one "
                  "(which migrates it) and back it up again" if _known(manifest.revision)
                  else "restore it with that version or a newer one")
        raise InputError(
            f"{path}: the backup is of schema revision {manifest.revision} (made by hamstride "
            f"{manifest.hamstride_version}); this version of hamstride needs revision "
            f"{HEAD_REVISION}: {advice}.")
    _check_tables(manifest, archive, path, metadata)
    return manifest


def _parse_manifest(data: dict[str, Any], path: Path) -> Manifest:
    def need(value: Any, kind: type, what: str) -> Any:
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise InputError(f"{path}: the backup's {MANIFEST} is corrupt ({what}).")
        return value

    tables: list[TableEntry] = []
    for raw in need(data.get("tables"), list, "no table list"):
        entry = need(raw, dict, "a table is not an object")
        name = need(entry.get("name"), str, "a table has no name")
        member = need(entry.get("file"), str, f"table {name} names no file")
        columns = need(entry.get("columns"), list, f"table {name} lists no columns")
        rows = need(entry.get("rows"), int, f"table {name} has no row count")
        if rows < 0:
            raise InputError(f"{path}: the backup's {MANIFEST} is corrupt (table {name} "
                             f"has {rows} rows).")
        names = tuple(need(c, str, f"table {name} has a column without a name")
                      for c in columns)
        tables.append(TableEntry(name, member, names, rows))
    return Manifest(
        hamstride_version=need(data.get("hamstride"), str, "no hamstride version"),
        revision=need(data.get("revision"), str, "no schema revision"),
        created_at=need(data.get("created_at"), str, "no creation time"),
        dialect=need(data.get("dialect"), str, "no database kind"),
        tables=tuple(tables))


def _check_tables(manifest: Manifest, archive: zipfile.ZipFile, path: Path,
                  metadata: MetaData) -> None:
    found = {entry.name: entry for entry in manifest.tables}
    wanted = {table.name: table for table in metadata.sorted_tables}
    if len(found) != len(manifest.tables) or set(found) != set(wanted):
        missing = ", ".join(sorted(set(wanted) - set(found))) or "none"
        extra = ", ".join(sorted(set(found) - set(wanted))) or "none"
        raise InputError(f"{path}: the backup's tables do not match revision "
                         f"{manifest.revision} (missing: {missing}; unknown: {extra}).")
    names = set(archive.namelist())
    for name, table in wanted.items():
        entry = found[name]
        if set(entry.columns) != {c.name for c in table.columns} or \
                len(entry.columns) != len(table.columns):
            raise InputError(f"{path}: the backup's table {name} has columns "
                             f"{', '.join(entry.columns)}; revision {manifest.revision} has "
                             f"{', '.join(c.name for c in table.columns)}.")
        if entry.member not in names:
            raise InputError(f"{path}: the backup is corrupt (no {entry.member}).")


def _lock_for_restore(connection: Connection, tables: Sequence[Table]) -> None:
    """Take the write lock first, so that nobody writes between the emptiness check and
    the inserts (PostgreSQL: the tables, readers still allowed; SQLite: the database)."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql" and tables:
        preparer = connection.dialect.identifier_preparer
        names = ", ".join(preparer.format_table(table) for table in tables)
        connection.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))


def _check_empty(connection: Connection, tables: Sequence[Table], url: str) -> None:
    """Refuse a database with rows. A new database holds one row of its own, the local
    owner's account with no e-mail (migration 0004): it is removed, the backup has one."""
    full = [table.name for table in tables
            if connection.execute(select(literal(1)).select_from(table).limit(1)).first()]
    if full == [_ACCOUNTS.name] and _only_a_new_local_owner(connection):
        connection.execute(delete(_ACCOUNTS))
        full = []
    if full:
        raise InputError(f"cannot restore into {url}: the database is not empty (rows in "
                         f"{', '.join(full)}); restore only into a new, empty database.")


def _only_a_new_local_owner(connection: Connection) -> bool:
    rows = connection.execute(select(_ACCOUNTS.c.email, _ACCOUNTS.c.local_owner)
                              .limit(2)).all()
    return len(rows) == 1 and rows[0].email is None and bool(rows[0].local_owner)


def _restore_table(connection: Connection, archive: zipfile.ZipFile, path: Path,
                   table: Table, entry: TableEntry) -> None:
    """Insert the member's rows in batches; the count must be the manifest's."""
    codecs = {column.name: codec for column, codec in zip(table.columns, _codecs(table),
                                                            strict=True)}
    count = 0
    batch: list[dict[str, Any]] = []
    for row in _read_rows(archive, path, entry, codecs):
        batch.append(row)
        count += 1
        if len(batch) >= BATCH_ROWS:
            connection.execute(insert(table), batch)
            batch = []
    if batch:
        connection.execute(insert(table), batch)
    if count != entry.rows:
        raise InputError(f"{path}: the backup is corrupt ({entry.member} has {count} rows, "
                         f"the manifest says {entry.rows}); nothing was restored.")


def _read_rows(archive: zipfile.ZipFile, path: Path, entry: TableEntry,
               codecs: Mapping[str, _Codec]) -> Iterator[dict[str, Any]]:
    columns = set(codecs)
    with archive.open(entry.member) as raw, \
            io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as lines:
        number = 0
        while line := _line(lines, path, entry, number + 1):
            number += 1
            where = f"{entry.member} line {number}"
            try:
                values = json.loads(line)
            except ValueError as exc:
                raise InputError(f"{path}: the backup is corrupt ({where} is not JSON); "
                                 "nothing was restored.") from exc
            if not isinstance(values, dict) or set(values) != columns:
                raise InputError(f"{path}: the backup is corrupt ({where} does not hold the "
                                 f"columns of {entry.name}); nothing was restored.")
            yield {name: _decoded(codecs[name], value, path, where, name)
                   for name, value in values.items()}


def _line(lines: IO[str], path: Path, entry: TableEntry, number: int) -> str:
    try:
        line = lines.readline(MAX_LINE_CHARS)
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: the backup is corrupt ({entry.member} line {number} is "
                         "not UTF-8); nothing was restored.") from exc
    if len(line) >= MAX_LINE_CHARS and not line.endswith("\n"):
        raise InputError(f"{path}: {entry.member} line {number} is longer than "
                         f"{MAX_LINE_CHARS} characters; nothing was restored.")
    return line


def _decoded(codec: _Codec, value: Any, path: Path, where: str, column: str) -> Any:
    if value is None:
        return None
    try:
        return codec.decode(value)
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise InputError(f"{path}: the backup is corrupt ({where}, column {column}: expected "
                         f"{codec.expected}, got {_shown(value)}); nothing was "
                         "restored.") from exc


def _reset_sequences(connection: Connection, tables: Sequence[Table]) -> None:
    """Each serial/identity column's sequence continues after the highest restored id."""
    preparer = connection.dialect.identifier_preparer
    for table in tables:
        column = table.autoincrement_column
        if column is None:
            continue
        highest = func.max(column)
        connection.execute(
            select(func.setval(func.pg_get_serial_sequence(preparer.format_table(table),
                                                           column.name),
                               func.coalesce(highest, 1), highest.is_not(None)))
            .select_from(table))


# -- values ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Codec:
    """A column's values to JSON and back; ``decode`` raises TypeError or ValueError on a
    value that is not one (``expected`` says what would be)."""

    expected: str
    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]


def _checked(kind: type | tuple[type, ...], convert: Callable[[Any], Any] | None = None
             ) -> Callable[[Any], Any]:
    def decode(value: Any) -> Any:
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise TypeError(type(value).__name__)
        return value if convert is None else convert(value)
    return decode


def _same(value: Any) -> Any:
    return value


def _iso(value: date | time) -> str:
    return value.isoformat()


def _date(value: str) -> date:
    if len(value) != 10:
        raise ValueError(value)
    return date.fromisoformat(value)


def _aware_utc(value: datetime) -> str:
    """SQLite hands back naive datetimes; every one hamstride writes is UTC."""
    moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return moment.isoformat()


def _from_aware(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("no UTC offset")
    return moment.astimezone(UTC)


def _from_naive(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        raise ValueError("an offset where none is stored")
    return moment


_BOOL = _Codec("true or false", bool, _checked(bool))
_INT = _Codec("an integer", int, _checked(int))
_FLOAT = _Codec("a number", float, _checked((int, float), float))
_STR = _Codec("a string", str, _checked(str))
_DATE = _Codec("a date YYYY-MM-DD", _iso, _checked(str, _date))
_TIME = _Codec("a time HH:MM:SS", _iso, _checked(str, time.fromisoformat))
_AWARE = _Codec("a date and time with a UTC offset", _aware_utc, _checked(str, _from_aware))
_NAIVE = _Codec("a date and time without offset", _iso, _checked(str, _from_naive))
_JSON = _Codec("a JSON value", _same, _same)
_BYTES = _Codec("base64 text", lambda v: base64.b64encode(v).decode("ascii"),
                _checked(str, lambda v: base64.b64decode(v, validate=True)))


def _decimal(value: str) -> Decimal:
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(value) from exc


def _uuid_text(value: str) -> str:
    return str(uuid.UUID(value))


def _codec(column: Column[Any]) -> _Codec:
    """How the column's values travel; a type not listed here cannot be backed up (the
    test suite checks every column of the models, so a new type is caught there)."""
    kind = column.type
    if isinstance(kind, JSON):
        return _JSON
    if isinstance(kind, Boolean):
        return _BOOL
    if isinstance(kind, Integer):
        return _INT
    if isinstance(kind, Float):
        return _FLOAT
    if isinstance(kind, Numeric):  # exact decimals travel as text
        return _Codec("a decimal number as text", str, _checked(str, _decimal))
    if isinstance(kind, String):  # Text, Unicode, Enum (stored by name)
        return _Codec("a string", lambda v: getattr(v, "name", v), _checked(str))
    if isinstance(kind, DateTime):
        return _AWARE if kind.timezone else _NAIVE
    if isinstance(kind, Date):
        return _DATE
    if isinstance(kind, Time):
        return _TIME
    if isinstance(kind, Uuid):
        return _Codec("a UUID", str, _checked(str, uuid.UUID if kind.as_uuid else _uuid_text))
    if isinstance(kind, LargeBinary):
        return _BYTES
    raise StoreError(f"cannot back up column {column.table.name}.{column.name}: hamstride's "
                     f"backup does not know the type {kind!r}.")


def _codecs(table: Table) -> list[_Codec]:
    return [_codec(column) for column in table.columns]


# -- helpers ----------------------------------------------------------------------------------

def _engine(source: Source) -> Engine:
    return source.engine if isinstance(source, Store) else source


def _revision(connection: Connection, url: str) -> str:
    try:
        found = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        revisions = list(found)
    except SQLAlchemyError as exc:
        raise StoreError(f"{url} is not a hamstride database (no schema revision: "
                         f"{_reason(exc)}).") from exc
    if len(revisions) != 1:
        raise StoreError(f"{url} is not a hamstride database (no single schema revision).")
    return str(revisions[0])


def _known(revision: str) -> bool:
    """Whether this version ships the revision (an older schema, not a newer one)."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False


def _manifest_data(manifest: Manifest) -> dict[str, Any]:
    return {
        "schema": FORMAT,
        "hamstride": manifest.hamstride_version,
        "revision": manifest.revision,
        "created_at": manifest.created_at,
        "dialect": manifest.dialect,
        "tables": [{"name": t.name, "file": t.member, "columns": list(t.columns),
                    "rows": t.rows} for t in manifest.tables],
    }


def _check_target(path: Path, *, overwrite: bool) -> None:
    if path.is_dir():
        raise InputError(f"{path}: is a directory; give a file name for the backup.")
    if not path.parent.is_dir():
        raise InputError(f"{path}: the folder {path.parent} does not exist.")
    if not overwrite and path.exists():
        raise InputError(f"{path} already exists; use --force to overwrite it.")


def _temporary_file(path: Path) -> tuple[IO[bytes], Path]:
    """A new file beside ``path`` (readable by its owner only: a backup holds health
    data), renamed over ``path`` once complete."""
    try:
        descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                            suffix=".part")
    except OSError as exc:
        raise InputError(f"cannot write the backup to {path} ({exc.strerror}).") from exc
    return os.fdopen(descriptor, "w+b"), Path(name)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX); best effort."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _shown(value: Any) -> str:
    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _reason(exc: BaseException) -> str:
    """The first line of the database's message, without SQLAlchemy's SQL and links."""
    cause = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()]
    return lines[0] if lines else type(cause).__name__
