"""TCX reader on small documents generated here (no corpus needed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamstride.activities.tcx import read_tcx
from hamstride.errors import ActivityFileError
from hamstride.training.activity import Activity, Lap, SourceFormat, Sport
from tests.activities.test_xml import BILLION_LAUGHS

START = datetime(2024, 5, 4, 7, 30, tzinfo=UTC)
NAMESPACE = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"


# -- document factories ----------------------------------------------------------------

@dataclass(frozen=True)
class Tp:
    t: float | None                # seconds after START; None writes no <Time>
    metres: float | None = None    # cumulative DistanceMeters
    ele: float | None = None
    hr: int | None = None


def stamp(seconds: float) -> str:
    return (START + timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")


def steady(speed: float, seconds: int, *, every: int = 5, from_t: float = 0.0,
           from_m: float = 0.0, hr: int | None = None) -> list[Tp]:
    return [Tp(t=from_t + i, metres=from_m + speed * i, ele=20.0, hr=hr)
            for i in range(0, seconds + 1, every)]


def trackpoint(p: Tp) -> str:
    parts = ["<Trackpoint>"]
    if p.t is not None:
        parts.append(f"<Time>{stamp(p.t)}</Time>")
    if p.metres is not None:
        lat = 52.0 + p.metres / 111_195.0
        parts.append(f"<Position><LatitudeDegrees>{lat:.7f}</LatitudeDegrees>"
                     "<LongitudeDegrees>5.0</LongitudeDegrees></Position>")
    if p.ele is not None:
        parts.append(f"<AltitudeMeters>{p.ele}</AltitudeMeters>")
    if p.metres is not None:
        parts.append(f"<DistanceMeters>{p.metres}</DistanceMeters>")
    if p.hr is not None:
        parts.append(f"<HeartRateBpm><Value>{p.hr}</Value></HeartRateBpm>")
    return "".join(parts) + "</Trackpoint>"


def lap(start_s: float, seconds: float, points: list[Tp], *, distance: float | None = None,
        avg_hr: int | None = None, max_hr: int | None = None) -> str:
    body = f"<TotalTimeSeconds>{seconds}</TotalTimeSeconds>"
    if distance is not None:
        body += f"<DistanceMeters>{distance}</DistanceMeters>"
    if avg_hr is not None:
        body += f"<AverageHeartRateBpm><Value>{avg_hr}</Value></AverageHeartRateBpm>"
    if max_hr is not None:
        body += f"<MaximumHeartRateBpm><Value>{max_hr}</Value></MaximumHeartRateBpm>"
    track = "<Track>" + "".join(trackpoint(p) for p in points) + "</Track>" if points else ""
    return f'<Lap StartTime="{stamp(start_s)}">{body}<Intensity>Active</Intensity>{track}</Lap>'


def activity(sport: str | None, *laps: str, id_s: float = 0.0) -> str:
    attribute = f' Sport="{sport}"' if sport is not None else ""
    return f"<Activity{attribute}><Id>{stamp(id_s)}</Id>{''.join(laps)}</Activity>"


def tcx(*activities: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase '
            f'xmlns="{NAMESPACE}"><Activities>{"".join(activities)}</Activities>'
            "</TrainingCenterDatabase>").encode()


RUN = tcx(activity(
    "Running",
    lap(0, 600, steady(3.0, 600, hr=140), distance=1800.0, avg_hr=141, max_hr=150),
    lap(600, 600, steady(3.5, 600, from_t=600, from_m=1800, hr=160), distance=2100.0),
))


def read_one(data: bytes) -> Activity:
    activities = read_tcx(data, "runs/a.tcx")
    assert len(activities) == 1
    return activities[0]


# -- reading ---------------------------------------------------------------------------

def test_read_tcx_reads_a_run_with_laps() -> None:
    run = read_one(RUN)
    assert (run.sport, run.start, run.source) == (Sport.RUNNING, START, SourceFormat.TCX)
    assert run.duration_s == 1200
    assert run.moving_s == pytest.approx(1200)
    assert run.distance_m == pytest.approx(3900)
    assert (run.avg_hr, run.max_hr) == (150, 160)
    assert run.elevation_gain_m == 0
    assert run.speed_cv is not None and run.speed_cv == pytest.approx(0.25 / 3.25, abs=0.01)
    assert run.laps == (
        Lap(start=START, duration_s=600, distance_m=1800, avg_hr=141, max_hr=150),
        Lap(start=START + timedelta(seconds=600), duration_s=600, distance_m=2100),
    )


@pytest.mark.parametrize(
    ("sport", "family"),
    [("Running", Sport.RUNNING), ("Biking", Sport.CYCLING), ("Other", Sport.OTHER),
     ("Swimming", Sport.OTHER), (None, Sport.OTHER)],
)
def test_read_tcx_sport_attribute(sport: str | None, family: Sport) -> None:
    data = tcx(activity(sport, lap(0, 300, steady(3.0, 300), distance=900.0)))
    assert read_one(data).sport is family


def test_read_tcx_one_activity_per_activity_element() -> None:
    data = tcx(
        activity("Running", lap(0, 600, steady(3.0, 600), distance=1800.0)),
        activity("Biking", lap(3600, 600, steady(8.0, 600, from_t=3600), distance=4800.0),
                 id_s=3600),
        activity("Running", lap(7200, 300, steady(3.0, 300, from_t=7200), distance=900.0),
                 id_s=7200),
    )
    activities = read_tcx(data, "a.tcx")
    assert [(a.sport, a.start, a.distance_m) for a in activities] == [
        (Sport.RUNNING, START, 1800.0),
        (Sport.CYCLING, START + timedelta(hours=1), 4800.0),
        (Sport.RUNNING, START + timedelta(hours=2), 900.0),
    ]
    assert [len(a.laps) for a in activities] == [1, 1, 1]


def test_read_tcx_multisport_session() -> None:
    run = activity("Running", lap(0, 600, steady(3.0, 600), distance=1800.0))
    ride = activity("Biking", lap(700, 900, steady(8.0, 900, from_t=700), distance=7200.0),
                    id_s=700)
    data = tcx(f"<MultiSportSession><Id>{stamp(0)}</Id><FirstSport>{run}</FirstSport>"
               f"<NextSport>{ride}</NextSport></MultiSportSession>")
    activities = read_tcx(data, "a.tcx")
    assert [(a.sport, a.duration_s) for a in activities] == [(Sport.RUNNING, 600),
                                                            (Sport.CYCLING, 900)]


def test_read_tcx_pool_swim_without_distance_samples() -> None:
    lengths = [Tp(t=float(t), hr=None) for t in range(0, 901, 30)]
    data = tcx(activity("Other", lap(0, 900, lengths, distance=750.0),
                        lap(900, 60, []),   # a rest lap without track points
                        lap(960, 600, [Tp(t=float(t)) for t in range(960, 1561, 30)],
                            distance=500.0)))
    swim = read_one(data)
    assert swim.sport is Sport.OTHER
    assert swim.duration_s == 1560
    assert swim.distance_m == 1250
    assert (swim.moving_s, swim.speed_cv, swim.elevation_gain_m) == (None, None, None)
    assert [lap.duration_s for lap in swim.laps] == [900, 60, 600]


def test_read_tcx_without_any_distance() -> None:
    data = tcx(activity("Other", lap(0, 1800, [Tp(t=0.0, hr=90), Tp(t=1800.0, hr=110)])))
    session = read_one(data)
    assert (session.duration_s, session.distance_m, session.avg_hr) == (1800, None, 100)


def test_read_tcx_last_lap_without_points_extends_the_duration() -> None:
    data = tcx(activity("Running", lap(0, 600, steady(3.0, 600), distance=1800.0),
                        lap(600, 45.5, [], distance=0.0)))
    assert read_one(data).duration_s == pytest.approx(645.5)


def test_read_tcx_heart_rate_falls_back_to_laps() -> None:
    data = tcx(activity("Running",
                        lap(0, 600, steady(3.0, 600), distance=1800.0, avg_hr=140, max_hr=150),
                        lap(600, 300, steady(3.0, 300, from_t=600, from_m=1800),
                            distance=900.0, avg_hr=170, max_hr=181)))
    run = read_one(data)
    assert (run.avg_hr, run.max_hr) == (150, 181)   # time-weighted: (140*600 + 170*300)/900


def test_read_tcx_drops_points_without_time_silently(capsys: pytest.CaptureFixture[str]) -> None:
    points = steady(3.0, 600)
    points.insert(3, Tp(t=None, metres=40.0))
    run = read_one(tcx(activity("Running", lap(0, 600, points, distance=1800.0))))
    assert run.duration_s == 600
    assert capsys.readouterr().out == ""   # tcxreader prints on such points


@pytest.mark.parametrize(
    ("first", "start"),
    [("2024-05-04T09:30:00+02:00", START), ("2024-05-04T07:30:00.000Z", START)],
)
def test_read_tcx_start_is_utc(first: str, start: datetime) -> None:
    data = RUN.replace(f'StartTime="{stamp(0)}"'.encode(), f'StartTime="{first}"'.encode())
    run = read_one(data)
    assert run.start == start
    assert run.start.utcoffset() == timedelta(0)


def test_read_tcx_refuses_an_impossible_start() -> None:
    with pytest.raises(ActivityFileError, match="before 1990"):
        read_tcx(RUN.replace(b"2024-05-04", b"1981-05-04"), "a.tcx")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (tcx(), "no activity in the TCX file"),
        (tcx().replace(b"<Activities></Activities>",
                       b"<Courses><Course><Name>Loop</Name></Course></Courses>"),
         "no activity in the TCX file"),
        (tcx(activity("Running")), "no recorded data in the activity"),
        (b'<gpx xmlns="http://www.topografix.com/GPX/1/1"/>', "not a TCX file"),
        (RUN.replace(b"<TotalTimeSeconds>600", b"<TotalTimeSeconds>ten", 1),
         "a lap's TotalTimeSeconds is not a number"),
        (RUN.replace(b"<DistanceMeters>1800.0</DistanceMeters><Average",
                     b"<DistanceMeters>nan</DistanceMeters><Average", 1),
         "a lap's DistanceMeters is not a number"),
        (RUN.replace(f'StartTime="{stamp(0)}"'.encode(), b'StartTime="soon"'),
         "a lap's StartTime is not a time"),
        (RUN.replace(f"<Time>{stamp(5)}</Time>".encode(), b"<Time>soon</Time>"),
         "the track points cannot be read"),
        (RUN.replace(b"<TotalTimeSeconds>600", b"<TotalTimeSeconds>-600", 1),
         "implausible values"),
        (RUN[: len(RUN) // 2], "not a well-formed XML file"),
        (BILLION_LAUGHS, "DOCTYPE"),
    ],
    ids=["no-activities", "course", "empty-activity", "gpx", "lap-time", "lap-distance",
         "lap-start", "point-time", "negative-lap", "truncated", "billion-laughs"],
)
def test_read_tcx_refuses_with_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ActivityFileError, match=reason) as info:
        read_tcx(data, "runs/a.tcx")
    assert str(info.value).startswith("runs/a.tcx: ")


def test_read_tcx_skips_an_empty_activity_beside_a_real_one() -> None:
    data = tcx(activity("Running"), activity("Running", lap(0, 300, steady(3.0, 300))))
    assert len(read_tcx(data, "a.tcx")) == 1


@pytest.mark.parametrize("prefix", [b"\n  ", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n"],
                         ids=["whitespace", "bom", "bom-newline"])
def test_read_tcx_accepts_bom_and_leading_whitespace(prefix: bytes) -> None:
    assert read_one(prefix + RUN) == read_one(RUN)


# -- only ActivityFileError comes out --------------------------------------------------

SMALL = tcx(activity("Running", lap(0, 20, steady(3.0, 20, every=10, hr=140), distance=60.0,
                                    avg_hr=140, max_hr=150)))
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def only_activity_file_errors(data: bytes) -> None:
    try:
        activities = read_tcx(data, "fuzz.tcx")
    except ActivityFileError:
        return
    assert all(isinstance(a, Activity) for a in activities)


@FUZZ
@given(st.binary(max_size=2000))
def test_read_tcx_random_bytes_raise_only_activity_file_error(data: bytes) -> None:
    only_activity_file_errors(data)


@FUZZ
@given(st.integers(min_value=0, max_value=len(SMALL)))
def test_read_tcx_truncated_raises_only_activity_file_error(cut: int) -> None:
    only_activity_file_errors(SMALL[:cut])


@FUZZ
@given(st.integers(min_value=0, max_value=len(SMALL) - 1), st.binary(min_size=1, max_size=12))
def test_read_tcx_corrupted_raises_only_activity_file_error(at: int, junk: bytes) -> None:
    only_activity_file_errors(SMALL[:at] + junk + SMALL[at + len(junk):])


@FUZZ
@given(st.sampled_from([b"Running", b"20", b"60.0", b"140", b"150", b"30.0", b"20.0",
                        stamp(10).encode(), stamp(0).encode()]),
       st.text(max_size=12))
def test_read_tcx_bad_values_raise_only_activity_file_error(value: bytes, text: str) -> None:
    replacement = text.replace("&", "").replace("<", "").replace('"', "").encode()
    only_activity_file_errors(SMALL.replace(value, replacement, 1))
