"""Benchmark: `hamstride runs import` of a generated export of 2,000 activities.

Run: python bench/import_bench.py [--activities 2000] [--seed 2026] [--no-profile] [--top 0]

The export (bench/activity_export.py: FIT, GPX and TCX files of 30-90 minute outings,
some gzipped, and a Strava-export-like folder whose activities.csv rows name files) is
written to a temporary folder first; writing it is not timed. Each pass then imports
the whole export into a fresh SQLite database in that folder, through the code path of
`hamstride runs import ROOT`: ``collect([ROOT])`` then ``running.import_sources``, into
a store holding a saved profile and its current plan (so the plan-following step at the
end runs, as it does for a runner with a plan). The cyclic garbage collector is off
while importing, as the CLI turns it off. Every pass checks that each activity was
imported, none skipped.

Three passes, one process:
1. plain: no profiler, no timers. Its seconds and activities/s are the headline figures.
2. wall clock: the parsing libraries' entry points our readers call are wrapped in
   timers (``ENTRY_POINTS``: fitdecode's FitReader and its frame iterator, the Garmin FIT
   SDK's Decoder, ``gpxpy.parse`` and gpxpy's distance maths, tcxreader's ``read`` and
   its track point parser, defusedxml's ``fromstring``). Library share = seconds inside
   the outermost wrapped call / the pass's seconds. Whatever these calls reach (the
   standard library's XML parser included) counts as library; small attribute reads on
   their results (fitdecode's ``frame.name``) count as ours. A timed call costs ~0.3 us.
3. profiled (skipped with --no-profile): cProfile over the whole import, then each
   function's own time (``tottime``) is given an owner by the file it lives in: a
   parsing library (fitdecode, gpxpy, tcxreader, garmin_fit_sdk, defusedxml), hamstride,
   pydantic (validation), SQLAlchemy and Alembic (the store). A function of the standard
   library or a builtin (the "~" file: expat, sqlite3, strptime, zlib, deepcopy...) has
   no owner of its own: its time is shared among its callers in proportion to the time
   it spent under each, and a caller that is itself standard library passes its share up
   the same way (by cumulative time), until an owner is reached. So expat under gpxpy is
   library, expat under our own ``parse_xml`` is defusedxml's (library), and sqlite3
   under SQLAlchemy is the store's. The profiler slows small Python functions most (each
   call is timed), which inflates fitdecode's and our own per-sample code alike: read the
   two shares together. --top N also prints the N functions whose own time goes most to
   hamstride (ours, and the standard library's under ours).

"Own overhead" is everything that is not library: reading and unzipping files, our
summaries and checks, pydantic validation, the store, and the plan that follows.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import platform
import pstats
import resource
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import alembic
import defusedxml
import defusedxml.ElementTree
import fitdecode  # type: ignore[import-untyped]
import garmin_fit_sdk
import gpxpy
import gpxpy.gpx
import pydantic
import pydantic_core
import sqlalchemy
import tcxreader
from tcxreader.tcxreader import TCXReader

import hamstride
from activity_export import Export, write_export
from hamstride import running
from hamstride.activities.sources import collect
from hamstride.store import Store
from hamstride.training.planner import generate_plan
from hamstride.training.profile import profile_from_data

PROFILE = {
    "name": "Importing runner", "level": "intermediate", "goal": "prevent_injury",
    "session_minutes": 30, "equipment": ["dumbbells", "bench", "nordic_anchor"],
    "running": {"weekly_km": 40, "week": {"tue": "intervals", "thu": "easy", "sun": "long"}},
}
LIBRARIES: dict[str, ModuleType] = {
    "fitdecode": fitdecode, "garmin_fit_sdk": garmin_fit_sdk, "gpxpy": gpxpy,
    "tcxreader": tcxreader, "defusedxml": defusedxml,
}
OURS: dict[str, ModuleType] = {
    "hamstride": hamstride, "pydantic (validation)": pydantic,
    "pydantic_core (validation)": pydantic_core, "sqlalchemy (store)": sqlalchemy,
    "alembic (store)": alembic,
}
OTHER = "other packages"


# -- one import -------------------------------------------------------------------------

def fresh_store(folder: Path) -> tuple[Store, str]:
    """A new database holding the profile and a plan that runs through today."""
    folder.mkdir()
    store = Store.open(f"sqlite:///{folder / 'import.db'}")
    profile = profile_from_data(PROFILE)
    store.save_profile(name=profile.name, document=profile.to_document())
    monday = date.today() - timedelta(days=date.today().weekday())
    plan = generate_plan(profile, start=monday, weeks=16)
    store.save_plan(profile_name=profile.name, start=plan.start, weeks=16,
                    document=plan.to_document())
    return store, profile.name


def import_once(root: Path, folder: Path, expected: int,
                wrap: Callable[[Callable[[], running.ImportReport]], running.ImportReport]
                ) -> tuple[float, float]:
    """Wall-clock and CPU seconds for ``hamstride runs import ROOT`` into a fresh
    database, ``wrap`` around the import itself (a profiler, or nothing); SystemExit when
    not every activity was imported. CPU seconds are this process's: on a busy machine
    the wall clock waits for a core, and the gap between the two shows it."""
    store, name = fresh_store(folder)
    try:
        gc.collect()
        gc.disable()
        began, began_cpu = time.perf_counter(), time.process_time()
        report = wrap(lambda: running.import_sources(store, name, collect([root]),
                                                     date.today()))
        seconds = time.perf_counter() - began, time.process_time() - began_cpu
    finally:
        gc.enable()
        store.close()
    if report.counts.get(running.IMPORTED) != expected:
        odd = [line for line in report.lines if line.status != running.IMPORTED][:5]
        raise SystemExit(f"expected {expected} imported, got {report.summary()} {odd}")
    return seconds


def plain(action: Callable[[], running.ImportReport]) -> running.ImportReport:
    return action()


# -- pass 2: timers around the library entry points ---------------------------------------

class LibraryClock:
    """Wall-clock seconds inside the outermost call of any wrapped library function."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._depth = 0

    def call(self, library: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._depth += 1
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self._stop(library, began)
        return timed

    def iterate(self, library: str, function: Callable[..., Iterator[Any]]
                ) -> Callable[..., Iterator[Any]]:
        """For a generator: only the time spent producing each item counts."""
        def timed(*args: Any, **kwargs: Any) -> Iterator[Any]:
            inner = function(*args, **kwargs)
            while True:
                self._depth += 1
                began = time.perf_counter()
                try:
                    item = next(inner)
                except StopIteration:
                    return
                finally:
                    self._stop(library, began)
                yield item
        return timed

    def _stop(self, library: str, began: float) -> None:
        self._depth -= 1
        if self._depth == 0:
            self.seconds[library] += time.perf_counter() - began


# (library, owner, attribute, wrapped as a generator?): what our readers call
ENTRY_POINTS: tuple[tuple[str, Any, str, bool], ...] = (
    ("fitdecode", fitdecode.FitReader, "__init__", False),
    ("fitdecode", fitdecode.FitReader, "__iter__", True),
    ("garmin_fit_sdk", garmin_fit_sdk.Decoder, "check_integrity", False),
    ("garmin_fit_sdk", garmin_fit_sdk.Decoder, "read", False),
    ("gpxpy", gpxpy, "parse", False),
    ("gpxpy", gpxpy.gpx.GPXTrack, "length_2d", False),
    ("gpxpy", gpxpy.gpx.GPXTrackPoint, "distance_2d", False),
    ("tcxreader", TCXReader, "read", False),
    ("tcxreader", TCXReader, "trackpoint_parser", False),
    ("defusedxml", defusedxml.ElementTree, "fromstring", False),
)


@contextmanager
def timed_libraries(clock: LibraryClock) -> Iterator[None]:
    missing = object()
    saved = [(owner, name, vars(owner).get(name, missing))
             for _, owner, name, _ in ENTRY_POINTS]
    try:
        for library, owner, name, generator in ENTRY_POINTS:
            original = getattr(owner, name)
            wrap = clock.iterate if generator else clock.call
            setattr(owner, name, wrap(library, original))
        yield
    finally:
        for owner, name, value in saved:
            if value is missing:
                delattr(owner, name)
            else:
                setattr(owner, name, value)


# -- pass 3: cProfile, time by owner ---------------------------------------------------------

Func = tuple[str, int, str]


def _folders(modules: dict[str, ModuleType]) -> list[tuple[str, str]]:
    return [(str(Path(m.__file__ or "").parent) + os.sep, label) for label, m in modules.items()]


class Owners:
    """Gives each profiled function's own time to an owner (the module docstring)."""

    def __init__(self, stats: dict[Func, Any]) -> None:
        self.stats = stats
        self.folders = [*_folders(LIBRARIES), *_folders(OURS)]
        self.site = [p for p in sys.path if p.endswith("site-packages")]
        self._shares: dict[Func, dict[str, float]] = {}

    def owner(self, func: Func) -> str | None:
        """The owner by file, or None for the standard library and builtins."""
        filename = func[0]
        for folder, label in self.folders:
            if filename.startswith(folder):
                return label
        if filename == str(Path(__file__)):
            return "hamstride"  # the bench's own call into the import
        if any(filename.startswith(site) for site in self.site):
            return OTHER
        return None

    def totals(self) -> dict[str, float]:
        totals: dict[str, float] = defaultdict(float)
        for shares in self.attributed().values():
            for owner, seconds in shares.items():
                totals[owner] += seconds
        return totals

    def attributed(self) -> dict[Func, dict[str, float]]:
        """Each function's own time, in seconds, by owner."""
        return {func: {owner: own * share
                       for owner, share in self._split(func, callers, 2, set()).items()}
                for func, (_, _, own, _, callers) in self.stats.items()}

    def _split(self, func: Func, callers: dict[Func, Any], index: int,
               seen: set[Func]) -> dict[str, float]:
        """Owner -> fraction: the file's owner, else the callers' owners weighted by the
        time spent under each (``index`` 2: own time, 3: cumulative)."""
        owner = self.owner(func)
        if owner is not None:
            return {owner: 1.0}
        if index == 3 and func in self._shares:
            return self._shares[func]
        weights = {c: edge[index] for c, edge in callers.items() if c not in seen}
        total = sum(weights.values())
        shares: dict[str, float] = defaultdict(float)
        if total <= 0:
            shares[OTHER] = 1.0  # a root: nothing called it within the profile
        for caller, weight in (weights.items() if total > 0 else ()):
            parent = self.stats.get(caller)
            up = self._split(caller, parent[4] if parent else {}, 3, seen | {func})
            for name, share in up.items():
                shares[name] += weight / total * share
        if index == 3 and not seen:
            self._shares[func] = shares
        return shares

    def top_own(self, count: int) -> list[tuple[float, Func]]:
        """The functions whose own time goes most to hamstride (ours, and the standard
        library's when we call it)."""
        ours = [(shares.get("hamstride", 0.0), func)
                for func, shares in self.attributed().items()]
        return sorted(ours, reverse=True)[:count]


# -- the report ---------------------------------------------------------------------------

def share_line(label: str, by_owner: dict[str, float], total: float) -> str:
    library = sum(by_owner.get(name, 0.0) for name in LIBRARIES)
    parts = ", ".join(f"{name} {by_owner[name] / total:.0%}" for name in LIBRARIES
                      if by_owner.get(name, 0.0) / total >= 0.005)
    return (f"{label:26s} library {library / total:5.1%} ({parts}); "
            f"own {1 - library / total:5.1%}")


def own_breakdown(by_owner: dict[str, float], total: float) -> str:
    names = [n for n in (*OURS, OTHER) if by_owner.get(n, 0.0) / total >= 0.001]
    return ", ".join(f"{n} {by_owner[n] / total:.1%}" for n in names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--activities", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile pass")
    parser.add_argument("--top", type=int, default=0,
                        help="also print our N costliest functions under the profiler")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hamstride-import-bench-"))
    try:
        run(args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(args: argparse.Namespace, folder: Path) -> None:
    began = time.perf_counter()
    export: Export = write_export(folder / "export", args.activities, args.seed)
    made = time.perf_counter() - began
    n = args.activities
    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"{os.cpu_count()} cpus; seed {args.seed}")
    print(f"export: {export.describe()} (written in {made:.0f} s, not timed)")
    seconds, cpu = import_once(export.root, folder / "plain", n, plain)
    print(f"{'import, no profiler':26s} {n} activities in {seconds:.1f} s (cpu {cpu:.1f} s): "
          f"{n / seconds:.1f} activities/s, {seconds / n * 1000:.0f} ms each")
    clock = LibraryClock()
    with timed_libraries(clock):
        timed, cpu = import_once(export.root, folder / "timed", n, plain)
    print(share_line("share by wall clock", clock.seconds, timed)
          + f"  [pass {timed:.1f} s, cpu {cpu:.1f} s]")
    if args.no_profile:
        print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
        return
    profiler = cProfile.Profile()
    profiled, _ = import_once(export.root, folder / "profiled", n,
                              lambda action: profiler.runcall(action))
    owners = Owners(pstats.Stats(profiler).stats)  # type: ignore[attr-defined]
    by_owner = owners.totals()
    total = sum(by_owner.values())
    print(share_line("share by cProfile", by_owner, total) + f"  [pass {profiled:.1f} s]")
    print(f"{'  own, by cProfile':26s} {own_breakdown(by_owner, total)}")
    package = str(Path(hamstride.__file__).parent) + os.sep
    for own, (filename, line, name) in owners.top_own(args.top):
        print(f"  {own / total:6.2%}  {filename.removeprefix(package)}:{line} {name}")
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
