"""GPX reader on small documents generated here (no corpus needed)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import gpxpy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamstride.activities.gpx import MAX_RUN_SPEED_MS, MIN_RUN_SPEED_MS, read_gpx
from hamstride.errors import ActivityFileError
from hamstride.training.activity import Activity, SourceFormat, Sport
from tests.activities.test_xml import BILLION_LAUGHS

START = datetime(2024, 5, 4, 7, 30, tzinfo=UTC)
NAMESPACES = {"1.1": "http://www.topografix.com/GPX/1/1",
              "1.0": "http://www.topografix.com/GPX/1/0"}
TPX = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"
METRES_PER_DEGREE = 111_195.0


# -- document factories ----------------------------------------------------------------

@dataclass(frozen=True)
class Pt:
    t: float | None            # seconds after START; None writes no <time>
    metres: float              # north of the origin
    ele: float | None = None
    hr: int | None = None


def steady(speed: float, seconds: int, *, every: int = 1, from_t: float = 0.0,
           from_m: float = 0.0, ele: float | None = None, hr: int | None = None) -> list[Pt]:
    return [Pt(t=from_t + i, metres=from_m + speed * i, ele=ele, hr=hr)
            for i in range(0, seconds + 1, every)]


def stamp(seconds: float) -> str:
    return (START + timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")


def trkpt(p: Pt) -> str:
    parts = [f'<trkpt lat="{52.0 + p.metres / METRES_PER_DEGREE:.7f}" lon="5.0">']
    if p.ele is not None:
        parts.append(f"<ele>{p.ele}</ele>")
    if p.t is not None:
        parts.append(f"<time>{stamp(p.t)}</time>")
    if p.hr is not None:
        parts.append("<extensions><gpxtpx:TrackPointExtension>"
                     f"<gpxtpx:hr>{p.hr}</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions>")
    return "".join(parts) + "</trkpt>"


def trk(*segments: list[Pt], name: str | None = None, kind: str | None = None) -> str:
    head = (f"<name>{name}</name>" if name else "") + (f"<type>{kind}</type>" if kind else "")
    body = "".join("<trkseg>" + "".join(trkpt(p) for p in seg) + "</trkseg>" for seg in segments)
    return f"<trk>{head}{body}</trk>"


def gpx(*tracks: str, creator: str = "hamstride tests", version: str = "1.1",
        extra: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="{version}" '
            f'creator="{creator}" xmlns="{NAMESPACES[version]}" xmlns:gpxtpx="{TPX}">'
            f'{extra}{"".join(tracks)}</gpx>').encode()


RUN = gpx(trk(steady(3.0, 1800, every=5, ele=10.0, hr=150), name="Morning Run", kind="9"))


def read_one(data: bytes) -> Activity:
    activities = read_gpx(data, "runs/a.gpx")
    assert len(activities) == 1
    return activities[0]


def gpxpy_length(data: bytes, track: int = 0) -> float:
    return float(gpxpy.parse(data.decode()).tracks[track].length_2d())


# -- reading ---------------------------------------------------------------------------

def test_read_gpx_reads_a_run() -> None:
    run = read_one(RUN)
    assert run.sport is Sport.RUNNING
    assert run.start == START
    assert run.duration_s == 1800
    assert run.moving_s == 1800
    assert run.distance_m == pytest.approx(gpxpy_length(RUN))
    assert run.distance_m == pytest.approx(5400, rel=0.01)
    assert (run.avg_hr, run.max_hr) == (150, 150)
    assert run.elevation_gain_m == 0
    assert run.speed_cv == pytest.approx(0, abs=0.01)
    assert (run.name, run.source, run.laps, run.rpe) == ("Morning Run", SourceFormat.GPX, (), None)


@pytest.mark.parametrize(
    ("kind", "sport"),
    [
        ("9", Sport.RUNNING),          # Strava's code for a run
        ("1", Sport.CYCLING),          # Strava's code for a ride
        ("4", Sport.OTHER),            # a Strava code we do not know
        ("running", Sport.RUNNING),
        ("Run", Sport.RUNNING),
        ("trail_running", Sport.RUNNING),
        ("cycling", Sport.CYCLING),
        ("biking", Sport.CYCLING),
        ("Ride", Sport.CYCLING),
        ("hiking", Sport.HIKING),
        ("walking", Sport.WALKING),
        ("swimming", Sport.SWIMMING),
        ("cross_country_skiing", Sport.SKIING),
        ("kayaking", Sport.OTHER),
    ],
)
def test_read_gpx_sport_from_track_type(kind: str, sport: Sport) -> None:
    # a type wins over speed: the same 3 m/s track becomes whatever the type says
    data = gpx(trk(steady(3.0, 600), kind=kind))
    assert read_one(data).sport is sport


@pytest.mark.parametrize(
    ("creator", "speed", "sport"),
    [
        ("Urban Biker - with barometer", 3.0, Sport.CYCLING),
        ("bikerouter.de", 3.0, Sport.CYCLING),
        ("Movescount", 3.0, Sport.RUNNING),
        ("Movescount", MAX_RUN_SPEED_MS + 0.5, Sport.CYCLING),
        ("Movescount", MAX_RUN_SPEED_MS - 0.1, Sport.RUNNING),
        ("Movescount", MIN_RUN_SPEED_MS + 0.1, Sport.RUNNING),
        ("Movescount", MIN_RUN_SPEED_MS - 0.3, Sport.WALKING),
    ],
)
def test_read_gpx_sport_without_type(creator: str, speed: float, sport: Sport) -> None:
    assert read_one(gpx(trk(steady(speed, 600)), creator=creator)).sport is sport


def test_read_gpx_sport_other_when_the_track_never_moves() -> None:
    assert read_one(gpx(trk(steady(0.0, 600)))).sport is Sport.OTHER


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (gpx(trk([Pt(None, 0.0), Pt(None, 100.0), Pt(None, 200.0)])),
         "no timestamps in the track"),
        (gpx(extra="<metadata><time>2023-07-07T16:10:57Z</time></metadata>"),
         "no track points"),
        (gpx(extra='<wpt lat="52.0" lon="5.0"><name>start</name></wpt>'), "no track points"),
        (gpx(extra='<rte><rtept lat="52.0" lon="5.0"/><rtept lat="52.1" lon="5.0"/></rte>'),
         "a planned route, not a recorded activity"),
        (gpx(trk([])), "no track points"),
        (gpx(trk([Pt(0, 0.0)])), "only one track point"),
        (gpx(trk([Pt(0, 0.0), Pt(None, 10.0), Pt(None, 20.0), Pt(30, 90.0), Pt(None, 99.0)])),
         r"no timestamps in the track \(only 2 of 5"),
    ],
    ids=["untimed", "metadata-only", "waypoints-only", "route", "empty-segment",
         "one-point", "mostly-untimed"],
)
def test_read_gpx_skips_with_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ActivityFileError, match=f"^runs/a.gpx: {reason}"):
        read_gpx(data, "runs/a.gpx")


def test_read_gpx_reason_comes_from_the_largest_track() -> None:
    data = gpx(trk([]), trk([Pt(None, 0.0), Pt(None, 50.0)]))
    with pytest.raises(ActivityFileError, match="no timestamps in the track"):
        read_gpx(data, "a.gpx")


def test_read_gpx_ignores_empty_segments() -> None:
    with_empty = read_one(gpx(trk([], steady(3.0, 600), [])))
    assert with_empty == read_one(gpx(trk(steady(3.0, 600))))


def test_read_gpx_minority_of_untimed_points_is_dropped() -> None:
    points = steady(3.0, 600, every=10)
    points[5] = Pt(None, points[5].metres)
    run = read_one(gpx(trk(points)))
    assert run.duration_s == 600
    assert run.distance_m == pytest.approx(1800, rel=0.01)


def test_read_gpx_segments_are_pauses_in_one_activity() -> None:
    first = steady(3.0, 600)
    second = steady(3.0, 600, from_t=900, from_m=2500)   # 5 min later, 700 m further
    data = gpx(trk(first, second))
    run = read_one(data)
    assert run.duration_s == 1500
    assert run.moving_s == 1200
    assert run.distance_m == pytest.approx(gpxpy_length(data))
    assert run.distance_m == pytest.approx(3600, rel=0.01)   # the gap is not bridged


def test_read_gpx_one_activity_per_track() -> None:
    data = gpx(trk(steady(3.0, 600), name="am", kind="running"),
               trk([Pt(None, 0.0), Pt(None, 10.0)], name="planned"),
               trk(steady(6.5, 600, from_t=7200), name="pm", kind="1"))
    activities = read_gpx(data, "a.gpx")
    assert [(a.name, a.sport) for a in activities] == [("am", Sport.RUNNING),
                                                       ("pm", Sport.CYCLING)]
    assert activities[1].start == START + timedelta(hours=2)
    assert activities[1].distance_m == pytest.approx(gpxpy_length(data, track=2))


def test_read_gpx_name_falls_back_to_metadata() -> None:
    data = gpx(trk(steady(3.0, 60)), extra="<metadata><name>Park loop</name></metadata>")
    assert read_one(data).name == "Park loop"


def test_read_gpx_version_1_0() -> None:
    run = read_one(gpx(trk(steady(3.0, 600, ele=5.0)), version="1.0"))
    assert (run.sport, run.duration_s) == (Sport.RUNNING, 600)
    assert run.distance_m == pytest.approx(1800, rel=0.01)


@pytest.mark.parametrize(
    ("first", "second", "start"),
    [
        ("2024-05-04T09:30:00+02:00", "2024-05-04T09:40:00+02:00", START),
        ("2024-05-04T07:30:00", "2024-05-04T07:40:00", START),   # no zone: UTC per schema
        ("2024-05-04T07:30:00.500Z", "2024-05-04T07:40:00Z", START + timedelta(seconds=0.5)),
    ],
)
def test_read_gpx_start_is_utc(first: str, second: str, start: datetime) -> None:
    data = gpx('<trk><trkseg><trkpt lat="52.0" lon="5.0"><time>' + first + "</time></trkpt>"
               '<trkpt lat="52.02" lon="5.0"><time>' + second + "</time></trkpt></trkseg></trk>")
    run = read_one(data)
    assert run.start == start
    assert run.start.utcoffset() == timedelta(0)


def test_read_gpx_refuses_an_impossible_start() -> None:
    data = gpx(trk(steady(3.0, 60))).replace(b"2024-05-04", b"1980-05-04")
    with pytest.raises(ActivityFileError, match="before 1990"):
        read_gpx(data, "a.gpx")


@pytest.mark.parametrize(
    "extension",
    [
        f'<gpxtpx:TrackPointExtension xmlns:gpxtpx="{TPX}"><gpxtpx:hr>142</gpxtpx:hr>'
        "</gpxtpx:TrackPointExtension>",
        '<ns3:TrackPointExtension xmlns:ns3="http://www.garmin.com/xmlschemas/'
        'TrackPointExtension/v2"><ns3:atemp>20</ns3:atemp><ns3:hr>142</ns3:hr>'
        "</ns3:TrackPointExtension>",
        '<gpxdata:hr xmlns:gpxdata="http://www.cluetrust.com/XML/GPXDATA/1/0">142</gpxdata:hr>',
    ],
    ids=["gpxtpx-v1", "gpxtpx-v2", "gpxdata"],
)
def test_read_gpx_heart_rate_extensions(extension: str) -> None:
    point = '<trkpt lat="{lat}" lon="5.0"><time>{time}</time><extensions>{ext}</extensions></trkpt>'
    points = "".join(point.format(lat=52 + i / 1000, time=stamp(i * 60), ext=extension)
                     for i in range(3))
    run = read_one(gpx(f"<trk><trkseg>{points}</trkseg></trk>"))
    assert (run.avg_hr, run.max_hr) == (142, 142)


@pytest.mark.parametrize("prefix", [b"\n\n  ", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n"],
                         ids=["strava-whitespace", "bom", "bom-newline"])
def test_read_gpx_accepts_bom_and_leading_whitespace(prefix: bytes) -> None:
    assert read_one(prefix + RUN) == read_one(RUN)


def test_read_gpx_refuses_entity_expansion() -> None:
    with pytest.raises(ActivityFileError, match="DOCTYPE"):
        read_gpx(BILLION_LAUGHS, "bomb.gpx")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
         b'TrainingCenterDatabase/v2"/>', "not a GPX file"),
        (RUN.replace(b'lat="52.0000000"', b'lat="north"'), "not a valid GPX file"),
        (re.sub(rb"<time>[^<]*</time>", b"<time>yesterday</time>", RUN),
         "no timestamps in the track"),   # gpxpy reads an unparsable time as none
        (RUN[: len(RUN) // 2], "not a well-formed XML file"),
        (RUN.replace(b'lat="52.0000000"', b'lat="INFINITY"'), "impossible coordinates"),
        (RUN.replace(b'lat="52.0000000"', b'lat="nan"'), "impossible coordinates"),
        (RUN.replace(b'lon="5.0"', b'lon="181"', 1), "impossible coordinates"),
    ],
    ids=["tcx", "bad-latitude", "bad-time", "truncated", "infinite", "nan", "off-the-globe"],
)
def test_read_gpx_refuses_broken_files(data: bytes, reason: str) -> None:
    with pytest.raises(ActivityFileError, match=reason):
        read_gpx(data, "a.gpx")


# -- only ActivityFileError comes out --------------------------------------------------

SMALL = gpx(trk(steady(3.0, 40, every=10, ele=3.0, hr=140), name="x", kind="9"))
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def only_activity_file_errors(data: bytes) -> None:
    try:
        activities = read_gpx(data, "fuzz.gpx")
    except ActivityFileError:
        return
    assert all(isinstance(a, Activity) for a in activities)


@FUZZ
@given(st.binary(max_size=2000))
def test_read_gpx_random_bytes_raise_only_activity_file_error(data: bytes) -> None:
    only_activity_file_errors(data)


@FUZZ
@given(st.integers(min_value=0, max_value=len(SMALL)))
def test_read_gpx_truncated_raises_only_activity_file_error(cut: int) -> None:
    only_activity_file_errors(SMALL[:cut])


@FUZZ
@given(st.integers(min_value=0, max_value=len(SMALL) - 1), st.binary(min_size=1, max_size=12))
def test_read_gpx_corrupted_raises_only_activity_file_error(at: int, junk: bytes) -> None:
    only_activity_file_errors(SMALL[:at] + junk + SMALL[at + len(junk):])


@FUZZ
@given(st.sampled_from([b"52.0000000", b"150", b"3.0", b"140", b"9", stamp(10).encode()]),
       st.text(max_size=12))
def test_read_gpx_bad_values_raise_only_activity_file_error(value: bytes, text: str) -> None:
    replacement = text.replace("&", "").replace("<", "").replace('"', "").encode()
    only_activity_file_errors(SMALL.replace(value, replacement, 1))
