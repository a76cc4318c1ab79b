"""What ``hamstride runs import PATH...`` and a web upload read: activity files, folders,
zip archives and Strava bulk exports, listed as Sources that read themselves on demand.

``collect`` and ``sources_from_upload`` only list (cheap: the count drives the progress
bar); ``read_source`` reads one Source and never raises for a bad file: a file that
cannot be used is a skipped ``ReadResult`` with the reason.

Listing rules:
- A file is read by its suffix, case-insensitive: .fit, .gpx, .tcx, each optionally
  gzipped (.fit.gz ...). A file of another type named explicitly is listed and reads as
  skipped; inside folders and archives it is ignored.
- Folders are walked recursively in sorted order; names starting with "." (hidden files,
  macOS "._" copies) and symbolic links to folders are ignored. A .zip archive, named or
  found in a folder, is opened; archives inside archives are not.
- Strava bulk export: a folder or .zip holding ``activities.csv`` (at its root or, in an
  archive, in one top folder; an ``activities.csv`` named explicitly counts too). Each
  CSV row is one Source, labelled with its spreadsheet row number (the header is row 1).
  Files the CSV names are read through their row only; other activity files in the
  export are read on their own.

Strava rows are read by ``hamstride.activities.strava``.

Limits, product choices against hostile or broken input (no published number exists):
- ``MAX_FILE_BYTES`` 50 MB per activity file, read and once decompressed: the largest
  real file in the test corpus is 1.5 MB. Gzip is decompressed in 1 MB chunks and
  refused as soon as it passes the limit (a gzip bomb expands a few kB into gigabytes).
- A zip with more than ``MAX_ZIP_MEMBERS`` (50,000) entries or more than
  ``MAX_ZIP_TOTAL_BYTES`` (4 GB) in total once unpacked is refused whole; a member whose
  compression ratio is over ``MAX_ZIP_RATIO`` (200:1) and that unpacks to more than
  ``ZIP_RATIO_FLOOR_BYTES`` (10 MB) is refused (a zip bomb). In the corpus, FIT files
  compress 1.5-3:1 and GPX/TCX files 5-25:1.
"""

from __future__ import annotations

import gzip
import io
import lzma
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Protocol

from hamstride.activities.fit import read_fit
from hamstride.activities.gpx import read_gpx
from hamstride.activities.strava import FILENAME, STRAVA_CSV, overlaid, row_activity, strava_rows
from hamstride.activities.tcx import read_tcx
from hamstride.errors import ActivityFileError
from hamstride.training.activity import Activity

MB = 1024 * 1024
MAX_FILE_BYTES = 50 * MB
MAX_ZIP_MEMBERS = 50_000
MAX_ZIP_TOTAL_BYTES = 4 * 1024 * MB
MAX_ZIP_RATIO = 200
ZIP_RATIO_FLOOR_BYTES = 10 * MB
CHUNK_BYTES = 1 * MB

Reader = Callable[[bytes, str], list[Activity]]
READERS: dict[str, Reader] = {".fit": read_fit, ".gpx": read_gpx, ".tcx": read_tcx}
UNSUPPORTED = ("unsupported file type: hamstride reads .fit, .gpx and .tcx files (also "
               "gzipped, .fit.gz), .zip archives and Strava export folders.")

# what zipfile and its decompressors raise on a broken archive or member
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError,
               RuntimeError, NotImplementedError, ValueError)


# -- what a Source reads -------------------------------------------------------------------

class _Blob(Protocol):
    def read(self, label: str) -> bytes:
        """The raw bytes, at most MAX_FILE_BYTES; ActivityFileError when unreadable."""
        ...


@dataclass(frozen=True)
class _DiskFile:
    path: Path

    def read(self, label: str) -> bytes:
        try:
            with self.path.open("rb") as handle:
                return _bounded(handle, label, "")
        except OSError as exc:
            raise ActivityFileError(
                f"{label}: cannot be read ({exc.strerror or exc}).") from exc


@dataclass(frozen=True)
class _Memory:
    data: bytes = field(repr=False)

    def read(self, label: str) -> bytes:
        if len(self.data) > MAX_FILE_BYTES:
            raise ActivityFileError(f"{label}: {_too_large('')}")
        return self.data


@dataclass(frozen=True)
class _Member:
    """A member of an open archive (opened once and shared: reopening a large archive
    per member would re-read its directory every time)."""

    archive: zipfile.ZipFile = field(repr=False)
    name: str

    def read(self, label: str) -> bytes:
        try:
            with self.archive.open(self.name) as handle:
                return _bounded(handle, label, "")
        except _ZIP_ERRORS as exc:
            raise ActivityFileError(
                f"{label}: cannot be read from the archive ({exc}).") from exc


@dataclass(frozen=True)
class Source:
    """One thing to read: an activity file, a Strava row, or something already known to
    be skipped (``skip``)."""

    label: str
    blob: _Blob | None = field(default=None, repr=False)   # the activity file, if any
    name: str = ""                                         # its name: picks the reader
    row: tuple[str, ...] | None = None                     # a Strava activities.csv row
    skip: str | None = None


@dataclass(frozen=True)
class ReadResult:
    label: str
    activities: tuple[Activity, ...]  # empty when skipped
    reason: str | None                 # why it was skipped; None when read


# -- reading ----------------------------------------------------------------------------

def read_source(source: Source) -> ReadResult:
    """Read one Source; a file that cannot be used gives a skipped result, not an error."""
    try:
        if source.skip is not None:
            raise ActivityFileError(source.skip)
        if source.row is not None:
            activities = _read_row(source, source.row)
        elif source.blob is not None:
            activities = _read_file(source.blob, source.name, source.label)
        else:
            activities = []
    except ActivityFileError as exc:
        return ReadResult(source.label, (), str(exc).removeprefix(f"{source.label}: "))
    if not activities:
        return ReadResult(source.label, (), "no activity in the file.")
    return ReadResult(source.label, tuple(activities), None)


def reader_for(name: str) -> tuple[Reader, bool] | None:
    """The reader for a file name and whether it is gzipped; None when unsupported."""
    lower = name.lower()
    gzipped = lower.endswith(".gz")
    reader = READERS.get(PurePosixPath(lower.removesuffix(".gz")).suffix)
    return None if reader is None else (reader, gzipped)


def _read_file(blob: _Blob, name: str, label: str) -> list[Activity]:
    found = reader_for(name)
    if found is None:
        raise ActivityFileError(f"{label}: {UNSUPPORTED}")
    reader, gzipped = found
    data = blob.read(label)
    return reader(_gunzip(data, label) if gzipped else data, label)


def _gunzip(data: bytes, label: str) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
            return _bounded(handle, label, " once decompressed (a gzip bomb?)")
    except (OSError, EOFError, zlib.error) as exc:
        raise ActivityFileError(f"{label}: not a valid gzip file ({exc}).") from exc


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def _bounded(handle: _Readable, label: str, what: str) -> bytes:
    """Read in chunks, refusing past MAX_FILE_BYTES before holding more than that."""
    chunks: list[bytes] = []
    size = 0
    while chunk := handle.read(CHUNK_BYTES):
        size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise ActivityFileError(f"{label}: {_too_large(what)}")
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(what: str) -> str:
    return f"larger than {_size(MAX_FILE_BYTES)}{what}; activity files are far smaller."


def _size(n: int) -> str:
    return f"{n / (1024 * MB):g} GB" if n >= 1024 * MB else f"{n / MB:g} MB"


# -- collecting -----------------------------------------------------------------------------

def collect(paths: Sequence[Path]) -> list[Source]:
    """Everything the paths hold to read, in order. ActivityFileError only for an argument
    that does not exist or cannot be read."""
    sources: list[Source] = []
    for path in paths:
        sources.extend(_collect_path(path))
    return sources


def _collect_path(path: Path) -> list[Source]:
    label = str(path)
    try:
        if path.is_dir():
            _entries(path)  # an unreadable folder is an unusable argument
            return _walk(path, set())
        with path.open("rb"):
            pass
    except FileNotFoundError as exc:
        raise ActivityFileError(f"{label}: no such file or folder.") from exc
    except OSError as exc:
        raise ActivityFileError(f"{label}: cannot be read ({exc.strerror or exc}).") from exc
    lower = path.name.lower()
    if lower.endswith(".zip"):
        return _zip_sources(label, lambda: zipfile.ZipFile(path))
    if lower == STRAVA_CSV:
        return _folder_export(path.parent, path, set())
    if reader_for(path.name) is None:
        return [Source(label, skip=UNSUPPORTED)]
    return [Source(label, _DiskFile(path), path.name)]


def sources_from_upload(name: str, data: bytes) -> list[Source]:
    """The Sources of one uploaded file: an activity file, a .zip, or an activities.csv."""
    label = PurePosixPath(name.replace("\\", "/")).name or "upload"
    lower = label.lower()
    if lower.endswith(".zip"):
        return _zip_sources(label, lambda: zipfile.ZipFile(io.BytesIO(data)))
    if lower == STRAVA_CSV:
        return _export_rows(label, lambda: _Memory(data).read(label), lambda _name: None)
    if reader_for(label) is None:
        return [Source(label, skip=UNSUPPORTED)]
    return [Source(label, _Memory(data), label)]


def _walk(folder: Path, referenced: set[Path]) -> list[Source]:
    """A folder's sources, depth first in name order. A Strava export found on the way
    gives its rows first and adds the files they name to ``referenced`` (read through
    the rows, not again on their own)."""
    try:
        entries = _entries(folder)
    except OSError as exc:
        return [Source(str(folder), skip=f"the folder cannot be read ({exc.strerror}).")]
    sources: list[Source] = []
    csv_path = next((p for p in entries if p.name.lower() == STRAVA_CSV and p.is_file()),
                    None)
    if csv_path is not None:
        sources.extend(_folder_export(folder, csv_path, referenced))
    for entry in entries:
        if entry.name.startswith(".") or entry == csv_path:
            continue
        if entry.is_dir():
            if not entry.is_symlink():
                sources.extend(_walk(entry, referenced))
        elif entry.name.lower().endswith(".zip"):
            sources.extend(_zip_sources(str(entry), partial(zipfile.ZipFile, entry)))
        elif reader_for(entry.name) is not None and _resolved(entry) not in referenced:
            sources.append(Source(str(entry), _DiskFile(entry), entry.name))
    return sources


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.iterdir(), key=lambda p: p.name)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path


def _folder_export(root: Path, csv_path: Path, referenced: set[Path]) -> list[Source]:
    """The rows of a Strava export folder; the files they name join ``referenced``."""
    base = _resolved(root)

    def locate(filename: str) -> tuple[_Blob, str] | None:
        target = _resolved(root / filename)
        if not target.is_relative_to(base) or not target.is_file():
            return None  # a name pointing outside the export is not followed
        referenced.add(target)
        return _DiskFile(target), target.name

    label = str(csv_path)
    return _export_rows(label, lambda: _DiskFile(csv_path).read(label), locate)


def _export_rows(label: str, read_csv: Callable[[], bytes],
                 locate: Callable[[str], tuple[_Blob, str] | None]) -> list[Source]:
    """One Source per CSV row (``label row N``); one skipped Source when the CSV is bad."""
    try:
        rows = strava_rows(read_csv(), label)
    except ActivityFileError as exc:
        return [Source(label, skip=str(exc).removeprefix(f"{label}: "))]
    sources = []
    for number, row in rows:
        filename = FILENAME.text(row).replace("\\", "/")
        found = locate(filename) if filename and reader_for(filename) else None
        blob, name = found if found is not None else (None, "")
        sources.append(Source(f"{label} row {number}", blob, name, row=row))
    return sources


# -- zip archives ---------------------------------------------------------------------------

def _zip_sources(label: str, open_archive: Callable[[], zipfile.ZipFile]) -> list[Source]:
    try:
        archive = open_archive()
        infos = archive.infolist()
    except _ZIP_ERRORS as exc:
        return [Source(label, skip=f"not a readable zip archive ({exc}).")]
    refusal = zip_refusal(infos)
    if refusal is not None:
        archive.close()
        return [Source(label, skip=refusal)]
    files = sorted((i for i in infos if not i.is_dir() and not _hidden(i.filename)),
                   key=lambda i: i.filename.split("/"))
    by_name = {i.filename: i for i in files}
    sources: list[Source] = []
    referenced: set[str] = set()
    csv_info = _export_csv(files)
    if csv_info is not None:
        sources.extend(_zip_export(label, archive, csv_info, by_name, referenced))
    for info in files:
        if info is csv_info or info.filename in referenced or not reader_for(info.filename):
            continue
        sources.append(Source(f"{label}:{info.filename}", _Member(archive, info.filename),
                              info.filename, skip=member_refusal(info)))
    return sources


def zip_refusal(infos: Sequence[zipfile.ZipInfo]) -> str | None:
    """Why a whole archive is refused (a zip bomb), or None."""
    if len(infos) > MAX_ZIP_MEMBERS:
        return (f"the archive holds {len(infos):,} entries, more than the "
                f"{MAX_ZIP_MEMBERS:,} accepted (a zip bomb?).")
    total = sum(i.file_size for i in infos)
    if total > MAX_ZIP_TOTAL_BYTES:
        return (f"the archive unpacks to {_size(total)}, more than the "
                f"{_size(MAX_ZIP_TOTAL_BYTES)} accepted (a zip bomb?).")
    return None


def member_refusal(info: zipfile.ZipInfo) -> str | None:
    """Why one member is refused before it is read, or None."""
    if info.file_size > ZIP_RATIO_FLOOR_BYTES and \
            info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
        ratio = info.file_size / max(info.compress_size, 1)
        return f"compressed {ratio:,.0f}:1, far beyond any activity file (a zip bomb?)."
    if info.file_size > MAX_FILE_BYTES:
        return _too_large(" once unpacked")
    return None


def _hidden(name: str) -> bool:
    return any(part.startswith(".") or part == "__MACOSX" for part in name.split("/"))


def _export_csv(files: Iterable[zipfile.ZipInfo]) -> zipfile.ZipInfo | None:
    """activities.csv at the root of the archive or in one top folder."""
    for info in files:
        parts = info.filename.split("/")
        if parts[-1].lower() == STRAVA_CSV and len(parts) <= 2:
            return info
    return None


def _zip_export(label: str, archive: zipfile.ZipFile, csv_info: zipfile.ZipInfo,
                by_name: dict[str, zipfile.ZipInfo], referenced: set[str]) -> list[Source]:
    prefix = csv_info.filename[: -len(STRAVA_CSV)]
    csv_label = f"{label}:{csv_info.filename}"

    def read_csv() -> bytes:
        refusal = member_refusal(csv_info)
        if refusal is not None:
            raise ActivityFileError(f"{csv_label}: {refusal}")
        return _Member(archive, csv_info.filename).read(csv_label)

    def locate(filename: str) -> tuple[_Blob, str] | None:
        info = by_name.get(prefix + filename.removeprefix("./"))
        if info is None or member_refusal(info) is not None:
            return None
        referenced.add(info.filename)
        return _Member(archive, info.filename), info.filename

    return _export_rows(csv_label, read_csv, locate)


# -- Strava rows -----------------------------------------------------------------------------

def _read_row(source: Source, row: tuple[str, ...]) -> list[Activity]:
    """The row's file laid under the row's values, or the row alone."""
    from_file: list[Activity] = []
    if source.blob is not None:
        try:
            from_file = _read_file(source.blob, source.name, source.label)
        except ActivityFileError:
            from_file = []  # the row still tells what was done
    if from_file:
        return overlaid(from_file, row, source.label)
    return [row_activity(row, source.label)]
