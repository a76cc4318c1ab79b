"""``backup`` and ``restore``: the whole database to one file and back (docs/storage.md)."""

from __future__ import annotations

from pathlib import Path

import typer

from hamstride.cli.edge import check_writable
from hamstride.store import Store, resolve_db_url
from hamstride.store import backup as backups


def backup(path: Path, *, db: str | None, force: bool) -> None:
    check_writable(path, what="backup", force=force)  # before the database is opened
    with Store.open(resolve_db_url(db)) as store:
        summary = backups.backup(store, path, overwrite=force)
        url = store.url
    typer.echo(f"Backed up {_tables(summary.tables)}, {_rows(summary.total_rows)} from {url} "
               f"to {path} ({file_size(summary.size)}).")


def restore(path: Path, *, db: str | None) -> None:
    backups.inspect_backup(path)  # a file that cannot be restored creates no database
    with Store.open(resolve_db_url(db)) as store:
        summary = backups.restore(store, path)
        url = store.url
    typer.echo(f"Restored {_tables(summary.tables)}, {_rows(summary.total_rows)} from {path} "
               f"({file_size(summary.size)}) into {url}.")


def file_size(size: int) -> str:
    """Bytes for people: ``812 bytes``, ``14.2 kB``, ``3.1 MB`` (powers of 1000)."""
    if size < 1000:
        return f"{size} byte" + ("" if size == 1 else "s")
    value = float(size)
    for unit in ("kB", "MB", "GB"):
        value /= 1000
        if value < 999.95:  # not "1000.0 kB"
            return f"{value:.1f} {unit}"
    return f"{value / 1000:.1f} TB"


def _tables(count: int) -> str:
    return f"{count} table" + ("" if count == 1 else "s")


def _rows(count: int) -> str:
    return f"{count} row" + ("" if count == 1 else "s")
