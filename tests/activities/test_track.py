"""Track summary maths, checked on small hand-made sample series."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from itertools import pairwise

import pytest

from hamstride.activities.track import (
    ELEVATION_HYSTERESIS_M,
    MAX_GAP_S,
    NAME_MAX,
    Sample,
    check_start,
    clean_name,
    elevation_gain,
    summarise,
    validated,
)
from hamstride.errors import ActivityFileError
from hamstride.training.activity import Activity, SourceFormat, Sport

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


# -- factories -------------------------------------------------------------------------

def ride(*legs: tuple[float, float], every: float = 1.0) -> list[Sample]:
    """Samples every ``every`` seconds over legs of (seconds, speed m/s)."""
    samples = [Sample(t=0.0, distance_m=0.0, altitude_m=None, hr=None)]
    t = distance = 0.0
    for seconds, speed in legs:
        for _ in range(round(seconds / every)):
            t += every
            distance += speed * every
            samples.append(Sample(t=t, distance_m=distance, altitude_m=None, hr=None))
    return samples


def pairs(*points: tuple[float, float | None]) -> list[Sample]:
    return [Sample(t=t, distance_m=d, altitude_m=None, hr=None) for t, d in points]


def heights(values: Sequence[float | None]) -> list[Sample]:
    return [Sample(t=float(i), distance_m=None, altitude_m=v, hr=None)
            for i, v in enumerate(values)]


def beats(values: Sequence[int | None]) -> list[Sample]:
    return [Sample(t=float(i), distance_m=None, altitude_m=None, hr=v)
            for i, v in enumerate(values)]


# -- moving time -----------------------------------------------------------------------

def test_summarise_moving_time_excludes_a_standing_pause() -> None:
    samples = ride((600, 3.0), (120, 0.0), (300, 3.2))
    assert summarise(samples).moving_s == pytest.approx(900)


def test_summarise_moving_time_excludes_a_long_gap_even_with_distance() -> None:
    # watch stopped for 5 minutes, then restarted 600 m further on
    samples = [*pairs((0, 0.0), (10, 30.0), (20, 60.0)), *pairs((320, 660.0), (330, 690.0))]
    assert summarise(samples).moving_s == pytest.approx(30)


@pytest.mark.parametrize(
    ("dt", "dd", "moving"),
    [
        (10.0, 5.0, 10.0),               # exactly the threshold speed, 0.5 m/s
        (10.0, 4.9, 0.0),                # just below it: standing, GPS drift
        (MAX_GAP_S, 300.0, MAX_GAP_S),   # a gap of exactly a minute still counts
        (MAX_GAP_S + 1, 300.0, 0.0),     # a longer one is a pause
        (0.0, 5.0, 0.0),                 # two samples at the same second
    ],
)
def test_summarise_moving_time_thresholds(dt: float, dd: float, moving: float) -> None:
    samples = pairs((0, 0.0), (dt, dd), (dt + 1, dd + 3.0))
    assert summarise(samples).moving_s == pytest.approx(moving + 1)


@pytest.mark.parametrize(
    "samples",
    [
        pairs((0, None), (10, None), (20, None)),   # no distance at all (pool, treadmill)
        pairs((0, 0.0), (600, 0.0), (1200, 0.0)),   # distance stuck at 0 (no sensor)
        pairs((0, 0.0)),                            # a single sample
    ],
    ids=["no-distance", "zero-distance", "one-sample"],
)
def test_summarise_moving_time_unknown_without_distance(samples: list[Sample]) -> None:
    assert summarise(samples).moving_s is None


def test_summarise_skips_samples_without_or_with_broken_distance() -> None:
    samples = pairs((0, 0.0), (5, None), (10, math.nan), (20, 60.0))
    assert summarise(samples).moving_s == pytest.approx(20)


# -- elevation gain --------------------------------------------------------------------

@pytest.mark.parametrize(
    ("altitudes", "gain"),
    [
        ([100, 103, 106, 110, 104, 100, 108], 18.0),   # two climbs, counted in full
        ([100, 102, 100, 102, 101, 103, 100], 0.0),    # wobble under the hysteresis
        ([100, 100 + ELEVATION_HYSTERESIS_M], ELEVATION_HYSTERESIS_M),
        ([200, 150, 100], 0.0),                        # downhill only
        ([100, 110, 108, 111], 11.0),                  # a small dip inside a climb
    ],
)
def test_elevation_gain_hysteresis(altitudes: list[float], gain: float) -> None:
    assert elevation_gain(altitudes) == pytest.approx(gain)


def test_elevation_gain_ignores_gps_noise_on_a_climb() -> None:
    noise = [0.0, 2.0, -2.0, 1.5, -1.5, 2.0, -1.0, 0.5]
    flat = [300 + noise[i % len(noise)] for i in range(400)]
    climb = [300 + i * 0.25 + noise[i % len(noise)] for i in range(400)]
    naive_gain = sum(max(0.0, b - a) for a, b in pairwise(climb))
    assert elevation_gain(flat) == 0.0
    assert elevation_gain(climb) == pytest.approx(100, abs=ELEVATION_HYSTERESIS_M)
    assert naive_gain > 300   # what summing every rise would claim


@pytest.mark.parametrize("values", [[], [120.0], [None, 120.0, None], [math.nan, 100.0]])
def test_summarise_elevation_gain_unknown_with_fewer_than_two_altitudes(
        values: list[float | None]) -> None:
    assert summarise(heights(values)).elevation_gain_m is None


# -- pace variability ------------------------------------------------------------------

def test_summarise_speed_cv_of_a_steady_run_is_near_zero() -> None:
    cv = summarise(ride((1200, 3.0))).speed_cv
    assert cv is not None and cv == pytest.approx(0.0, abs=1e-9)


def test_summarise_speed_cv_of_intervals_is_high() -> None:
    # 60 s fast, 60 s easy, repeated: 30 s windows of 5 and 2 m/s -> sd 1.5 / mean 3.5
    samples = ride(*[(60, 5.0), (60, 2.0)] * 6)
    assert summarise(samples).speed_cv == pytest.approx(1.5 / 3.5)


def test_summarise_speed_cv_ignores_pauses() -> None:
    samples = ride((600, 3.0), (300, 0.0), (600, 3.0))
    assert summarise(samples).speed_cv == pytest.approx(0.0, abs=1e-9)


def test_summarise_speed_cv_unknown_with_under_two_minutes_moving() -> None:
    assert summarise(ride((119, 3.0))).speed_cv is None
    assert summarise(ride((120, 3.0))).speed_cv is not None


def test_summarise_speed_cv_unknown_when_absurd() -> None:
    # 200 windows at walking pace and one at 10 km/s: broken data, not pace variability
    samples = ride((6000, 0.6), (30, 10_000.0))
    assert summarise(samples).speed_cv is None


# -- heart rate ------------------------------------------------------------------------

def test_summarise_heart_rate_drops_impossible_readings() -> None:
    summary = summarise(beats([0, 140, None, 150, 300, 161]))
    assert (summary.avg_hr, summary.max_hr) == (150, 161)


def test_summarise_heart_rate_unknown_without_readings() -> None:
    summary = summarise(beats([None, 0, None]))
    assert (summary.avg_hr, summary.max_hr) == (None, None)


# -- start check -----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("start", "problem"),
    [
        (datetime(2024, 5, 4, 7, 30), "no time zone"),
        (datetime(1989, 12, 31, 23, 59, 59, tzinfo=UTC), "before 1990"),
        (datetime(1970, 1, 1, tzinfo=UTC), "before 1990"),
        (NOW + timedelta(days=2, seconds=1), "in the future"),
        (datetime(2089, 3, 1, tzinfo=UTC), "in the future"),
    ],
)
def test_check_start_refuses(start: datetime, problem: str) -> None:
    with pytest.raises(ActivityFileError, match=problem) as info:
        check_start(start, "runs/a.gpx", now=NOW)
    assert str(info.value).startswith("runs/a.gpx: ")


@pytest.mark.parametrize(
    "start",
    [
        datetime(1990, 1, 1, tzinfo=UTC),
        datetime(1990, 1, 1, 2, 0, tzinfo=timezone(timedelta(hours=2))),   # 00:00 UTC
        NOW,
        NOW + timedelta(days=2),   # a device clock a little ahead is tolerated
    ],
)
def test_check_start_accepts(start: datetime) -> None:
    check_start(start, "runs/a.gpx", now=NOW)


def test_check_start_uses_the_clock_by_default() -> None:
    with pytest.raises(ActivityFileError, match="in the future"):
        check_start(datetime.now(UTC) + timedelta(days=3), "a.tcx")
    check_start(datetime.now(UTC), "a.tcx")


# -- names and model checks ------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "name"),
    [
        (None, None),
        ("   ", None),
        ("  Morning\n   Run ", "Morning Run"),
        ("x" * 300, "x" * NAME_MAX),
    ],
)
def test_clean_name(text: str | None, name: str | None) -> None:
    assert clean_name(text) == name


def test_validated_turns_model_errors_into_a_file_error() -> None:
    def build() -> Activity:
        return Activity(sport=Sport.RUNNING, start=NOW, duration_s=30 * 24 * 3600,
                        source=SourceFormat.GPX)

    with pytest.raises(ActivityFileError, match=r"runs/a.gpx: implausible values .*duration_s"):
        validated("runs/a.gpx", build)
