"""The FIT reader and the Strava export on the third-party corpus (SOURCES.txt there says
what each file is). The corpus is found through HAMSTRIDE_CORPUS, else /work/shared/corpus,
else ../shared/corpus next to the repository; without it these tables are empty and the
generated-file tests still cover the readers. Corpus files are never copied here.
"""

from __future__ import annotations

import gzip
import io
import os
from functools import cache
from pathlib import Path

import fitdecode
import pytest

from hamstride.activities.sources import ReadResult, collect, read_source
from hamstride.training.activity import SourceFormat

ROOT = Path(__file__).resolve().parents[2]


def _corpus() -> Path | None:
    candidates = [os.environ.get("HAMSTRIDE_CORPUS"), "/work/shared/corpus",
                  str(ROOT.parent / "shared" / "corpus")]
    return next((Path(c) for c in candidates if c and Path(c, "SOURCES.txt").is_file()), None)


CORPUS = _corpus()

RUN, RIDE, SWIM, OTHER = "running", "cycling", "swimming", "other"
# corpus path -> the sports read, in start order, or "skipped: <part of the reason>"
EXPECTED: dict[str, tuple[str, ...] | str] = {
    "fit/fitparse_2013-02-06-12-11-14_fr110_run.fit": (RUN,),
    # fenix2 multisport: a generic leg, run, run, bike; the three transitions skipped
    "fit/fitparse_activity-large-fenxi2-multisport.fit": (OTHER, RUN, RUN, RIDE),
    "fit/fitparse_activity-small-fenix2-run.fit": (RUN,),
    # compressed timestamps and speed/distance, dated from the power-on clock's anchor
    "fit/fitparse_compressed-speed-distance_fr70_run.fit": (RUN,),
    "fit/fitparse_developer-types-sample_stryd_run.fit": (RUN,),
    "fit/fitparse_garmin-fenix-5-run.fit": (RUN,),
    # chained: a triathlon (swim, T1, bike, T2, run) then three parts of strap HR data
    "fit/fitparse_sample_mulitple_header_chained.fit": (SWIM, RIDE, RUN),
    # a record one byte short at 7471: fitdecode and the FIT SDK both stop there
    "fit/fitparse_strava-android-app-201.10-b1218918.fit":
        "skipped: corrupt FIT data (FIT parsing error @ 7471: local message 11 not defined)",
    "fit/gap_2022-05-29-15-53-35_Laufen_Landal_Park.fit": (RUN,),
    "fit/gc_10kUNLP2014-Garmin15.fit": (RUN,),
    "fit/gc_3386684871_vivoactiveHR_run.fit": (RUN,),
    "fit/gc_Fr955v19.28andStryd.fit": (RUN,),
    "fit/gc_Garmin920_withFirstbeat.fit": (RUN,),
    "fit/gc_Move_2020_01_15_19_27_16_Running.fit": (RUN,),
    "fit/invalid_activity-filecrc.fit": "skipped: bad file checksum",
    # a complete first part; the corrupt second part is dropped
    "fit/invalid_activity-settings-corruptheader.fit": (RUN,),
    "fit/invalid_activity-settings-nodata.fit": (RUN,),
    "fit/invalid_activity-unexpected-eof.fit": "skipped: truncated FIT file",
    "fit/invalid_elemnt-bolt-no-application-id.fit": (RIDE,),
    "fit/sdkexample_WorkoutIndividualSteps.fit": "skipped: a FIT workout file",
    "fit/sdkexample_WorkoutRepeatSteps.fit": "skipped: a FIT workout file",
    # named explicitly: its one row, laid over the FIT file it names
    "strava_export/activities.csv": (RUN,),
    "strava_export/activities/12866632127.fit.gz": (RUN,),
}


def _corpus_files() -> list[str]:
    if CORPUS is None:
        return []
    found = {str(p.relative_to(CORPUS)) for folder in ("fit", "strava_export")
             for p in (CORPUS / folder).rglob("*") if p.is_file()}
    return sorted(found | set(EXPECTED))


@cache
def _results(name: str) -> tuple[ReadResult, ...]:
    assert CORPUS is not None
    return tuple(read_source(source) for source in collect([CORPUS / name]))


@pytest.mark.parametrize("name", _corpus_files())
def test_corpus_file_is_read_or_skipped_as_expected(name: str) -> None:
    assert CORPUS is not None and (CORPUS / name).is_file(), f"{name} is not in the corpus"
    assert name in EXPECTED, f"{name}: add the expected result to EXPECTED"
    [result] = _results(name)
    expected = EXPECTED[name]
    if isinstance(expected, str):
        assert result.activities == ()
        assert result.reason is not None and expected.removeprefix("skipped: ") in result.reason
    else:
        assert result.reason is None
        assert tuple(a.sport.value for a in result.activities) == expected


def _fitdecode_sessions(data: bytes) -> list[dict[str, object]]:
    """What fitdecode itself says of the running sessions, in start order."""
    sessions = []
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.DISABLED,
                             error_handling=fitdecode.ErrorHandling.IGNORE) as reader:
        try:
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "session":
                    sessions.append({f.name: f.value for f in frame.fields})
        except fitdecode.FitError:
            pass  # the corrupt later part of a chained file
    return [s for s in sessions if s.get("sport") == "running"]


VALID_RUNS = [n for n in _corpus_files() if not n.endswith(".csv")
              and RUN in (EXPECTED.get(n) or ()) and not isinstance(EXPECTED[n], str)]


@pytest.mark.parametrize("name", VALID_RUNS)
def test_corpus_run_distance_and_duration_are_the_session_values(name: str) -> None:
    assert CORPUS is not None
    data = (CORPUS / name).read_bytes()
    reference = _fitdecode_sessions(gzip.decompress(data) if name.endswith(".gz") else data)
    runs = [a for r in _results(name) for a in r.activities if a.sport.value == RUN]
    assert len(runs) == len(reference) > 0
    for run, session in zip(runs, reference, strict=True):
        assert run.distance_m == pytest.approx(session["total_distance"], abs=0.01)
        assert run.duration_s == pytest.approx(session["total_elapsed_time"], abs=1)


@pytest.mark.parametrize("folder", ["strava_export"] if CORPUS else [])
def test_corpus_strava_export_reads_each_row_once_with_its_file(folder: str) -> None:
    assert CORPUS is not None
    results = [read_source(s) for s in collect([CORPUS / folder])]
    assert [r.label.removeprefix(str(CORPUS) + "/") for r in results] == [
        "strava_export/activities.csv row 2"]  # the .fit.gz is read through its row
    [run] = results[0].activities
    assert (run.sport.value, run.source, run.name) == (RUN, SourceFormat.FIT,
                                                        "Laufen Landal Park")
    assert (run.distance_m, round(run.duration_s)) == (pytest.approx(3322.95), 1428)
