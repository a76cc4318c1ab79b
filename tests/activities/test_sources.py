"""Listing and reading import sources: dispatch, folder walks, gzip, zip and the limits."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamstride.activities import sources
from hamstride.activities.sources import (
    ReadResult,
    Source,
    collect,
    read_source,
    reader_for,
    sources_from_upload,
)
from hamstride.errors import ActivityFileError
from hamstride.training.activity import Sport
from tests.activities.sample_files import START, fit_file, gz

RUN = fit_file()
GPX = (b'<?xml version="1.0"?><gpx version="1.1" creator="test" '
       b'xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
       + b"".join(f'<trkpt lat="52.0" lon="{13 + i * 0.0003:.4f}"><time>2024-05-02T07:00:'
                  f'{i * 5:02d}Z</time></trkpt>'.encode() for i in range(12))
       + b"</trkseg></trk></gpx>")


def _read_all(found: list[Source]) -> list[ReadResult]:
    return [read_source(source) for source in found]


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(("name", "reader", "gzipped"), [
    ("a.fit", "read_fit", False),
    ("A.FIT", "read_fit", False),
    ("run.gpx", "read_gpx", False),
    ("run.TCX", "read_tcx", False),
    ("123.fit.gz", "read_fit", True),
    ("123.GPX.GZ", "read_gpx", True),
    ("dir.v2/123.tcx.gz", "read_tcx", True),
])
def test_sources_reader_for_dispatches_by_suffix(name: str, reader: str, gzipped: bool) -> None:
    found = reader_for(name)
    assert found is not None
    assert (found[0].__name__, found[1]) == (reader, gzipped)


@pytest.mark.parametrize("name", ["notes.txt", "a.fit.zip", "a.gz", "fit", "a.fit.bz2",
                                  "activities.csv", "a.kml"])
def test_sources_reader_for_refuses_other_types(name: str) -> None:
    assert reader_for(name) is None


def test_sources_collect_walks_folders_recursively_in_sorted_order(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    for name in ("c.fit", "a.fit", "b/z.gpx", "b/a.TCX", "notes.txt", ".hidden.fit",
                 "._a.fit", ".git/x.fit", "b2.FIT.gz"):
        (runs / name).parent.mkdir(parents=True, exist_ok=True)
        (runs / name).write_bytes(b"x")
    _zip(runs / "b1.zip", {"w/2.fit": b"x", "1.gpx": b"x", "readme.md": b"x",
                           "__MACOSX/._1.gpx": b"x"})
    labels = [s.label for s in collect([runs])]
    assert [label.removeprefix(f"{runs}/") for label in labels] == [
        "a.fit", "b/a.TCX", "b/z.gpx", "b1.zip:1.gpx", "b1.zip:w/2.fit", "b2.FIT.gz", "c.fit"]


def test_sources_collect_keeps_the_argument_order(tmp_path: Path) -> None:
    (tmp_path / "b.fit").write_bytes(RUN)
    (tmp_path / "a.fit").write_bytes(RUN)
    found = collect([tmp_path / "b.fit", tmp_path / "a.fit"])
    assert [s.label for s in found] == [str(tmp_path / "b.fit"), str(tmp_path / "a.fit")]


def test_sources_collect_refuses_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(ActivityFileError, match="no such file or folder"):
        collect([tmp_path / "missing.fit"])


def test_sources_explicit_unsupported_file_reads_as_skipped(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    [result] = _read_all(collect([tmp_path / "notes.txt"]))
    assert result.activities == ()
    assert result.reason is not None and result.reason.startswith("unsupported file type")


def test_sources_reads_plain_and_gzipped_files(tmp_path: Path) -> None:
    (tmp_path / "a.fit").write_bytes(RUN)
    (tmp_path / "b.fit.gz").write_bytes(gz(RUN))
    (tmp_path / "c.gpx").write_bytes(GPX)
    results = _read_all(collect([tmp_path]))
    assert [(r.reason, [a.start for a in r.activities]) for r in results][:2] == [
        (None, [START]), (None, [START])]
    assert results[2].reason is None and results[2].activities[0].distance_m


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("bad.fit.gz", b"not gzip at all", "not a valid gzip file"),
    ("cut.fit.gz", gz(RUN)[:-20], "not a valid gzip file"),
    ("run.gpx.gz", gz(RUN), "not a well-formed XML file"),
    ("run.fit", b"", "empty"),
])
def test_sources_bad_file_reads_as_skipped_with_the_reason(tmp_path: Path, name: str,
                                                           data: bytes, reason: str) -> None:
    (tmp_path / name).write_bytes(data)
    [result] = _read_all(collect([tmp_path / name]))
    assert (result.label, result.activities) == (str(tmp_path / name), ())
    assert result.reason is not None and reason in result.reason
    assert not result.reason.startswith(str(tmp_path))  # the label is not repeated


def test_sources_gzip_bomb_is_refused_past_the_limit(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_FILE_BYTES", 100_000)
    monkeypatch.setattr(sources, "CHUNK_BYTES", 4096)
    (tmp_path / "bomb.fit.gz").write_bytes(gz(bytes(10_000_000)))
    [result] = _read_all(collect([tmp_path / "bomb.fit.gz"]))
    assert result.reason is not None and "gzip bomb" in result.reason


def test_sources_file_over_the_limit_is_refused(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_FILE_BYTES", len(RUN) - 1)
    (tmp_path / "run.fit").write_bytes(RUN)
    results = [*_read_all(collect([tmp_path / "run.fit"])),
               *_read_all(sources_from_upload("run.fit", RUN))]
    assert [r.reason and r.reason.split(";")[0] for r in results] == [
        f"larger than {(len(RUN) - 1) / 1024 / 1024:g} MB"] * 2


def test_sources_zip_members_are_read_and_other_types_ignored(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "runs.zip", {"b/run.fit.gz": gz(RUN), "a.gpx": GPX,
                                           "photo.jpg": b"x", "inner.zip": b"x"})
    results = _read_all(collect([archive]))
    assert [(r.label, r.reason) for r in results] == [
        (f"{archive}:a.gpx", None), (f"{archive}:b/run.fit.gz", None)]


def test_sources_zip_over_the_member_limit_is_refused_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_ZIP_MEMBERS", 3)
    archive = _zip(tmp_path / "many.zip", {f"{i}.fit": RUN for i in range(4)})
    [result] = _read_all(collect([archive]))
    assert result.reason == "the archive holds 4 entries, more than the 3 accepted (a zip bomb?)."


def test_sources_zip_over_the_total_size_is_refused_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_ZIP_TOTAL_BYTES", 2 * len(RUN))
    archive = _zip(tmp_path / "big.zip", {f"{i}.fit": RUN for i in range(3)})
    [result] = _read_all(collect([archive]))
    assert result.reason is not None and "zip bomb" in result.reason


def test_sources_zip_member_with_an_absurd_ratio_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "ZIP_RATIO_FLOOR_BYTES", 100_000)
    archive = _zip(tmp_path / "bomb.zip", {"bomb.fit": bytes(2_000_000), "run.fit": RUN})
    results = _read_all(collect([archive]))
    assert [(r.label.rsplit(":", 1)[1], r.reason is None) for r in results] == [
        ("bomb.fit", False), ("run.fit", True)]
    assert results[0].reason is not None and "zip bomb" in results[0].reason


def test_sources_zip_member_with_a_bad_crc_is_skipped(tmp_path: Path) -> None:
    data = bytearray(_zip(tmp_path / "ok.zip", {"run.fit": RUN}).read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("run.fit")
    # the member's data starts after its 30-byte local header, name and extra field
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 5] ^= 0xFF
    (tmp_path / "bad.zip").write_bytes(bytes(data))
    [result] = _read_all(collect([tmp_path / "bad.zip"]))
    assert result.reason is not None and "cannot be read from the archive" in result.reason


def test_sources_file_that_is_not_a_zip_reads_as_skipped(tmp_path: Path) -> None:
    (tmp_path / "fake.zip").write_bytes(b"PK but not really")
    [result] = _read_all(collect([tmp_path / "fake.zip"]))
    assert result.reason is not None and result.reason.startswith("not a readable zip archive")


@pytest.mark.parametrize(("name", "labels"), [
    ("run.fit", ["run.fit"]),
    ("C:\\Users\\me\\run.fit", ["run.fit"]),
    ("../../etc/run.fit", ["run.fit"]),
    ("notes.txt", ["notes.txt"]),
])
def test_sources_upload_of_one_file_is_labelled_by_its_base_name(name: str,
                                                                labels: list[str]) -> None:
    assert [s.label for s in sources_from_upload(name, RUN)] == labels


def test_sources_upload_reads_a_file_and_a_zip() -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("x/run.fit", RUN)
        handle.writestr("ride.gpx", GPX)
    [fit_result] = _read_all(sources_from_upload("run.fit", RUN))
    zip_results = _read_all(sources_from_upload("export.ZIP", archive.getvalue()))
    assert fit_result.activities[0].sport is Sport.RUNNING
    assert [(r.label, r.reason) for r in zip_results] == [
        ("export.ZIP:ride.gpx", None), ("export.ZIP:x/run.fit", None)]


def test_sources_upload_of_an_unsupported_file_reads_as_skipped() -> None:
    [result] = _read_all(sources_from_upload("notes.txt", b"hi"))
    assert result.reason is not None and result.reason.startswith("unsupported file type")


_FUZZ = settings(max_examples=120, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow])


@_FUZZ
@given(st.sampled_from(["a.fit", "a.gpx", "a.tcx", "a.fit.gz", "a.gpx.gz", "a.zip",
                        "activities.csv"]),
       st.one_of(st.binary(max_size=2000),
                 st.integers(0, len(RUN)).map(lambda cut: RUN[:cut]),
                 st.integers(0, len(GPX)).map(lambda cut: GPX[:cut]),
                 st.integers(0, 200).map(lambda cut: gz(RUN)[:cut])))
def test_sources_read_source_never_raises_for_a_bad_upload(name: str, data: bytes) -> None:
    for source in sources_from_upload(name, data):
        result = read_source(source)
        assert (result.reason is None) == bool(result.activities)
