"""The FIT reader on generated files: values, sessions, clocks, and every way to refuse."""

from __future__ import annotations

import contextlib
import random
from datetime import UTC, datetime, timedelta

import fitdecode
import pytest
from fit_tool.profile.profile_type import FileType, Sport, SubSport
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamstride.activities import fit
from hamstride.activities.fit import read_fit
from hamstride.errors import ActivityFileError
from hamstride.training.activity import SourceFormat
from hamstride.training.activity import Sport as Family
from tests.activities.sample_files import START, FitSpec, Leg, fit_file, power_on_shift

RUN = fit_file()


def _after(seconds: int) -> datetime:
    return START + timedelta(seconds=seconds)


def test_fit_run_gives_the_session_values() -> None:
    [run] = read_fit(RUN, "run.fit")
    assert (run.sport, run.start, run.source) == (Family.RUNNING, START, SourceFormat.FIT)
    assert (run.duration_s, run.moving_s, run.distance_m) == (600, 590, 1800)
    assert (run.elevation_gain_m, run.avg_hr, run.max_hr) == (20, 140, 150)
    assert [(lap.start, lap.duration_s, lap.distance_m) for lap in run.laps] == [
        (START, 300, 900), (_after(300), 300, 900)]
    assert run.speed_cv is not None and run.speed_cv > 0.05  # the surges show
    assert run.name is None


def test_fit_session_without_totals_takes_them_from_the_records() -> None:
    [run] = read_fit(fit_file(FitSpec((Leg(totals=False),))), "run.fit")
    assert run.moving_s == pytest.approx(600, abs=5)
    assert run.elevation_gain_m == pytest.approx(20, abs=0.5)
    assert (run.avg_hr, run.max_hr) == (140, 140)


def test_fit_session_without_records_keeps_its_totals() -> None:
    [run] = read_fit(fit_file(FitSpec((Leg(records=False),))), "run.fit")
    assert (run.duration_s, run.distance_m, run.avg_hr, run.speed_cv) == (600, 1800, 140, None)


def test_fit_multisport_file_gives_one_activity_per_sport_session() -> None:
    legs = (Leg(sport=Sport.SWIMMING, speed_ms=1.0),
            Leg(sport=Sport.TRANSITION, start=_after(600), seconds=60, laps=1),
            Leg(sport=Sport.CYCLING, start=_after(660), seconds=1200, speed_ms=8.0),
            Leg(sport=Sport.TRANSITION, start=_after(1860), seconds=30, laps=1),
            Leg(sport=Sport.RUNNING, start=_after(1890), seconds=900))
    activities = read_fit(fit_file(FitSpec(legs)), "tri.fit")
    assert [(a.sport, a.start, a.duration_s, a.distance_m, len(a.laps)) for a in activities] == [
        (Family.SWIMMING, START, 600, 600, 2),
        (Family.CYCLING, _after(660), 1200, 9600, 2),
        (Family.RUNNING, _after(1890), 900, 2700, 2)]


def test_fit_session_longer_than_the_gap_to_the_next_ends_at_the_next_start() -> None:
    legs = (Leg(seconds=900), Leg(sport=Sport.CYCLING, start=_after(600)))
    first, second = read_fit(fit_file(FitSpec(legs)), "two.fit")
    assert (first.duration_s, first.moving_s, second.start) == (600, 600, _after(600))


@pytest.mark.parametrize(("sport", "sub_sport", "family"), [
    (Sport.RUNNING, SubSport.TRAIL, Family.RUNNING),
    (Sport.CYCLING, None, Family.CYCLING),
    (Sport.E_BIKING, None, Family.CYCLING),
    (Sport.SWIMMING, SubSport.LAP_SWIMMING, Family.SWIMMING),
    (Sport.WALKING, None, Family.WALKING),
    (Sport.HIKING, None, Family.HIKING),
    (Sport.CROSS_COUNTRY_SKIING, None, Family.SKIING),
    (Sport.ALPINE_SKIING, None, Family.SKIING),
    (Sport.TRAINING, SubSport.STRENGTH_TRAINING, Family.STRENGTH),
    (Sport.TRAINING, SubSport.CARDIO_TRAINING, Family.OTHER),
    (Sport.GENERIC, None, Family.OTHER),
    (Sport.SOCCER, None, Family.OTHER),
])
def test_fit_sport_maps_to_its_family(sport: Sport, sub_sport: SubSport | None,
                                      family: Family) -> None:
    [activity] = read_fit(fit_file(FitSpec((Leg(sport=sport, sub_sport=sub_sport),))), "a.fit")
    assert activity.sport is family


def test_fit_chained_files_give_the_sessions_of_both() -> None:
    later = fit_file(FitSpec((Leg(start=_after(3600)),)))
    assert [a.start for a in read_fit(RUN + later, "chain.fit")] == [START, _after(3600)]


@pytest.mark.parametrize("tail", [b"\x0e\x10garbage!", fit_file()[:40], b"\x00\x01"],
                         ids=["corrupt-header", "truncated-part", "stray-bytes"])
def test_fit_corrupt_later_part_keeps_the_complete_first_part(tail: bytes) -> None:
    assert [a.start for a in read_fit(RUN + tail, "chain.fit")] == [START]


def test_fit_power_on_clock_is_dated_from_the_activity_local_timestamp() -> None:
    local_end = datetime(2012, 2, 13, 12, 10, tzinfo=UTC)
    start = local_end - timedelta(seconds=600)
    shift = power_on_shift(start, 17_000_000)
    spec = FitSpec((Leg(start=start),), activity_local=local_end, clock_shift_s=shift)
    [run] = read_fit(fit_file(spec), "fr70.fit")
    assert (run.start, run.duration_s, run.distance_m) == (start, 600, 1800)
    assert run.speed_cv is not None  # the records were placed in the session too


def _refusal(data: bytes) -> str:
    with pytest.raises(ActivityFileError) as caught:
        read_fit(data, "bad.fit")
    assert str(caught.value).startswith("bad.fit: ")
    return str(caught.value)


def _flip_last_byte(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 0xFF])


def _corrupt_middle(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes(b ^ 0x5A for b in data[middle:middle + 8]) + data[middle + 8:]


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty"),
    (RUN[:-10], "truncated"),
    (RUN[:100], "truncated"),
    (random.Random(7).randbytes(2000), "not a FIT file"),
    (b"<?xml version='1.0'?><gpx/>", "not a FIT file"),
    (_flip_last_byte(RUN), "checksum"),
    (_corrupt_middle(RUN), "corrupt FIT data"),
    (fit_file(FitSpec((Leg(start=datetime(2070, 1, 1, tzinfo=UTC)),))), "in the future"),
    (fit_file(FitSpec((), file_type=FileType.WORKOUT)), "a FIT workout file"),
    (fit_file(FitSpec((), file_type=FileType.COURSE)), "a FIT course file"),
    (fit_file(FitSpec(())), "no session"),
    (fit_file(FitSpec((Leg(sport=Sport.TRANSITION),))), "only transition"),
    (fit_file(FitSpec((Leg(start=START, seconds=15 * 24 * 3600, laps=0, records=False),))),
     "implausible"),
    (fit_file(FitSpec((Leg(start=datetime(2012, 2, 13, tzinfo=UTC)),),
                      clock_shift_s=power_on_shift(datetime(2012, 2, 13, tzinfo=UTC), 1000))),
     "no start time"),
], ids=["empty", "truncated-end", "truncated-header", "random", "xml", "bad-crc",
        "corrupt-middle", "decades-ahead", "workout", "course", "no-session",
        "transition-only", "two-weeks", "power-on-without-anchor"])
def test_fit_refuses_with_a_reason(data: bytes, reason: str) -> None:
    assert reason in _refusal(data)


def test_fit_falls_back_to_the_fit_sdk_when_fitdecode_refuses(
        monkeypatch: pytest.MonkeyPatch) -> None:
    refused = fit._Decoding([], fitdecode.FitParseError(99, "local message 11 not defined"))
    monkeypatch.setattr(fit, "_run_fitdecode", lambda _data: refused)
    [run] = read_fit(RUN, "run.fit")
    assert (run.sport, run.start, run.duration_s, run.distance_m, len(run.laps)) == (
        Family.RUNNING, START, 600, 1800, 2)


def test_fit_sdk_partial_data_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both decoders stop at the broken record: fitdecode's reason is the one given."""
    broken = _corrupt_middle(RUN)
    refused = fit._Decoding([], fitdecode.FitParseError(99, "local message 11 not defined"))
    monkeypatch.setattr(fit, "_run_fitdecode", lambda _data: refused)
    assert "corrupt FIT data (FIT parsing error @ 99: local message 11 not defined)" in \
        _refusal(broken)


_FUZZ = settings(max_examples=150, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow])


def _only_activity_file_errors(data: bytes) -> None:
    with contextlib.suppress(ActivityFileError):
        read_fit(data, "fuzz.fit")


@_FUZZ
@given(st.binary(max_size=3000))
def test_fit_random_bytes_raise_only_activity_file_errors(data: bytes) -> None:
    _only_activity_file_errors(data)


@_FUZZ
@given(st.integers(0, len(RUN)), st.lists(st.tuples(st.integers(0, len(RUN) - 1),
                                                     st.integers(0, 255)), max_size=4))
def test_fit_damaged_run_raises_only_activity_file_errors(
        cut: int, edits: list[tuple[int, int]]) -> None:
    data = bytearray(RUN)
    for where, value in edits:
        data[where] = value
    _only_activity_file_errors(bytes(data[:cut]))


@_FUZZ
@given(st.lists(st.tuples(st.integers(14, len(RUN) - 3), st.integers(0, 255)),
                min_size=1, max_size=6))
def test_fit_damaged_run_with_a_good_checksum_raises_only_activity_file_errors(
        edits: list[tuple[int, int]]) -> None:
    """Damage the records, then fix the checksum: the junk reaches the session maths."""
    data = bytearray(RUN)
    for where, value in edits:
        data[where] = value
    crc = fitdecode.utils.compute_crc(data, end=len(data) - 2)
    data[-2:] = crc.to_bytes(2, "little")
    _only_activity_file_errors(bytes(data))
