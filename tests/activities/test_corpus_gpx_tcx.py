"""The GPX and TCX readers on the shared corpus of third-party files.

The corpus is found at $HAMSTRIDE_CORPUS, else /work/shared/corpus, else
<repo>/../shared/corpus (SOURCES.txt there says what each file is). Without it the
parametrizations below are empty; with it, every file in corpus/gpx and corpus/tcx must
have a row in the tables, so a file added to the corpus cannot go unchecked.

Values are compared with what the parsing libraries report themselves: gpxpy's
``length_2d`` and ``get_time_bounds`` per track; tcxreader's ``distance`` and ``duration``.
tcxreader cannot read a multi-sport session, so for that file the reference is the
laps' ``DistanceMeters`` and the activity's first and last times, read with the
standard library.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as StdTree
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import gpxpy
import pytest
from tcxreader import TCXReader

from hamstride.activities.fit import read_fit
from hamstride.activities.gpx import read_gpx
from hamstride.activities.tcx import read_tcx
from hamstride.errors import ActivityFileError
from hamstride.training.activity import Activity, Sport

REPO = Path(__file__).resolve().parents[2]
TCX_NS = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"


def corpus_dir() -> Path | None:
    candidates = [os.environ.get("HAMSTRIDE_CORPUS"), "/work/shared/corpus",
                  str(REPO.parent / "shared" / "corpus")]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


CORPUS = corpus_dir()


@dataclass(frozen=True)
class Expected:
    sports: tuple[Sport, ...] = ()     # one per activity read, in order
    skipped: str | None = None         # the reason, when the file is skipped
    tracks: tuple[int, ...] = (0,)     # GPX: which <trk> each activity comes from
    duration_slack_s: float = 2.0      # TCX: how much later than tcxreader's end we may end


RUN, RIDE, WALK, OTHER = Sport.RUNNING, Sport.CYCLING, Sport.WALKING, Sport.OTHER

GPX_EXPECTED = {
    "gap_Berlin (0,9 km).gpx": Expected(skipped="no timestamps in the track"),  # planned route
    "gc_1292585194-20906.gpx": Expected((RIDE,)),         # no type; 6.9 m/s moving
    "gc_MetadataOnly.gpx": Expected(skipped="no track points"),
    "gc_Move_2014_01_17_09_33_11.gpx": Expected((RUN,)),  # no type; 3.4 m/s moving
    "gc_UrbanBiker2019-04-18_16-12.gpx": Expected((RIDE,)),  # creator Urban Biker
    "gpxpy_cerknicko-without-times.gpx": Expected(skipped="no timestamps in the track"),
    "gpxpy_gpx1.0_with_all_fields.gpx": Expected(skipped="only one track point"),
    "gpxpy_korita-zbevnica.gpx": Expected((WALK, WALK), tracks=(2, 3)),  # 2 timed logs, ~1 m/s
    "gpxpy_track-with-empty-segment.gpx": Expected((RUN,)),
    "gpxpy_unicode_with_bom.gpx": Expected(skipped="no track points"),  # a waypoint only
    "sweatpy_4801048867_strava.gpx": Expected((RIDE,)),    # Strava type 1
}

TCX_EXPECTED = {
    "gc_10kUNLP2014-Garmin15.tcx": Expected((RUN,)),
    "gc_activity_165850259_multi-session.tcx": Expected((RUN, RIDE, RUN, RIDE)),
    # the last lap is a 45 s rest without track points; tcxreader ends at the last point
    "gc_argmac_FR910XT_swim.tcx": Expected((OTHER,), duration_slack_s=46.0),
    "sweatpy_3173437224_run.tcx": Expected((RUN,)),
    "tcxparser_no_hr_run.tcx": Expected((RUN,)),
    "tcxparser_test_run.tcx": Expected((RUN,)),
    "tcxreader_cross-country-skiing_activity_1.tcx": Expected((OTHER,)),
    "tcxreader_sup_activity_1.tcx": Expected((OTHER,)),   # stand-up paddling, Sport="Other"
}


def corpus_files(kind: str, table: dict[str, Expected]) -> list[str]:
    if CORPUS is None:
        return []
    return sorted({p.name for p in (CORPUS / kind).glob(f"*.{kind}")} | set(table))


def read_or_reason(path: Path, kind: str) -> list[Activity] | str:
    reader = read_gpx if kind == "gpx" else read_tcx
    try:
        return reader(path.read_bytes(), path.name)
    except ActivityFileError as exc:
        return str(exc)


def check_expected(path: Path, kind: str, expected: Expected) -> list[Activity]:
    """Assert the imported-or-skipped outcome; the activities when imported."""
    assert path.is_file(), f"{path} is in the table but not in the corpus"
    result = read_or_reason(path, kind)
    if expected.skipped is not None:
        assert result == f"{path.name}: {expected.skipped}."
        return []
    assert not isinstance(result, str), result
    assert tuple(a.sport for a in result) == expected.sports
    for activity in result:
        assert activity.start.utcoffset() == timedelta(0)
        assert activity.moving_s is None or activity.moving_s <= activity.duration_s + 1
    return result


@pytest.mark.parametrize("name", corpus_files("gpx", GPX_EXPECTED))
def test_corpus_gpx_matches_gpxpy(name: str) -> None:
    assert CORPUS is not None
    assert name in GPX_EXPECTED, f"corpus file {name} has no expected result"
    path = CORPUS / "gpx" / name
    activities = check_expected(path, "gpx", GPX_EXPECTED[name])
    if not activities:
        return
    tracks = gpxpy.parse(path.read_bytes()).tracks
    for activity, index in zip(activities, GPX_EXPECTED[name].tracks, strict=True):
        assert activity.distance_m == pytest.approx(tracks[index].length_2d(), abs=0.01)
        bounds = tracks[index].get_time_bounds()   # elapsed, pauses between segments too
        assert bounds.start_time is not None and bounds.end_time is not None
        elapsed = (bounds.end_time - bounds.start_time).total_seconds()
        assert activity.duration_s == pytest.approx(elapsed, abs=0.01)


@pytest.mark.parametrize("name", corpus_files("tcx", TCX_EXPECTED))
def test_corpus_tcx_matches_tcxreader(name: str) -> None:
    assert CORPUS is not None
    assert name in TCX_EXPECTED, f"corpus file {name} has no expected result"
    path = CORPUS / "tcx" / name
    expected = TCX_EXPECTED[name]
    activities = check_expected(path, "tcx", expected)
    if len(activities) > 1:
        references = lap_references(path)
    else:
        exercise = TCXReader().read(str(path), only_gps=False)
        references = [(float(exercise.distance), float(exercise.duration))]
    assert len(references) == len(activities)
    for activity, (distance, duration) in zip(activities, references, strict=True):
        assert activity.distance_m == pytest.approx(distance, abs=0.01)
        assert 0 <= activity.duration_s - duration <= expected.duration_slack_s


def lap_references(path: Path) -> list[tuple[float, float]]:
    """Per <Activity>: the laps' summed DistanceMeters, and last minus first time."""
    references = []
    for element in StdTree.parse(path).getroot().iter(f"{TCX_NS}Activity"):
        distance = sum(float(e.text or 0) for lap in element.iter(f"{TCX_NS}Lap")
                       for e in lap.findall(f"{TCX_NS}DistanceMeters"))
        times = [datetime.fromisoformat(e.text or "") for e in element.iter(f"{TCX_NS}Time")]
        references.append((distance, (max(times) - min(times)).total_seconds()))
    return references


@pytest.mark.parametrize(("name", "starts"), [
    ("gc_activity_165850259_multi-session.tcx",
     ["2011-11-29T12:12:00Z", "2011-12-01T12:59:37Z", "2011-12-04T15:26:28Z",
      "2011-12-07T12:14:19Z"]),
] if CORPUS is not None else [])
def test_corpus_tcx_multi_session_starts(name: str, starts: list[str]) -> None:
    assert CORPUS is not None
    activities = read_tcx((CORPUS / "tcx" / name).read_bytes(), name)
    assert [a.start for a in activities] == [datetime.fromisoformat(s) for s in starts]


@pytest.mark.parametrize(("tcx_name", "fit_name"), [
    ("gc_10kUNLP2014-Garmin15.tcx", "gc_10kUNLP2014-Garmin15.fit"),
] if CORPUS is not None else [])
def test_corpus_tcx_and_fit_of_one_run_share_an_id(tcx_name: str, fit_name: str) -> None:
    assert CORPUS is not None
    [from_tcx] = read_tcx((CORPUS / "tcx" / tcx_name).read_bytes(), tcx_name)
    [from_fit] = read_fit((CORPUS / "fit" / fit_name).read_bytes(), fit_name)
    assert from_tcx.id == from_fit.id
    assert from_tcx.distance_m == pytest.approx(from_fit.distance_m or 0, abs=1)
