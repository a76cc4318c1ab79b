"""The one chart module: a progress report drawn as one PNG or SVG figure.

Four panels: dose per session of the key exercises, weekly sets by muscle group,
between-leg asymmetry with the 15% and 20% lines (Bourne 2015) and the caveat
(Green 2018), and plan adherence per week. The CLI writes a file; the web pages will
serve ``render_to_bytes``.

matplotlib is imported inside the functions, with the non-interactive Agg backend, so
importing this module stays light. No pyplot state is used: each call builds its own
``Figure``, which is safe in a web server. matplotlib and OS errors become
``InputError``.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hamstride.errors import InputError
from hamstride.training.analytics import CAVEAT, IMBALANCE_PCT, ProgressReport
from hamstride.training.load import CAVEAT as LOAD_CAVEAT
from hamstride.training.load import RATIO_HIGH, LoadReport
from hamstride.training.log import TestKind

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

_LOCK = threading.Lock()
FORMATS = ("png", "svg")
SIZE_IN = (10.0, 8.0)
DPI = 120
NO_DATA = "no data yet"
TITLES = {
    "dose": "Dose per session",
    "volume": "Weekly sets by muscle group",
    "asymmetry": "Between-leg asymmetry",
    "adherence": "Plan adherence",
}
# one colour per muscle, fixed so charts compare across reports (colour-blind safe)
MUSCLE_COLOURS = {
    "hamstrings": "#0072B2", "glutes": "#E69F00", "quadriceps": "#009E73",
    "calves": "#CC79A7", "hip_flexors": "#56B4E9", "adductors": "#D55E00",
    "core": "#F0E442", "lower_back": "#999999",
}
TEST_LABELS = {
    TestKind.SINGLE_LEG_BRIDGE: "single-leg bridge (reps)",
    TestKind.NORDIC_FORCE: "Nordic force (N)",
    TestKind.NORDIC_ANGLE: "Nordic break angle (degrees)",
    TestKind.ISOMETRIC_HOLD: "isometric hold (s)",
}
LINE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
STYLE: dict[RcKeyType, Any] = {
    "font.size": 12, "axes.titlesize": 14, "axes.titleweight": "bold", "axes.labelsize": 12,
    "legend.fontsize": 10, "xtick.labelsize": 11, "ytick.labelsize": 11,
        "axes.spines.top": False, "axes.spines.right": False,
    "svg.fonttype": "none",  # real <text>: searchable, selectable, small
    "svg.hashsalt": "hamstride",  # stable ids: the same report gives the same SVG
}


Report = ProgressReport | LoadReport


def render_progress(report: Report, path: Path) -> None:
    """Write the report's chart to ``path``; its suffix (.png or .svg) picks the format."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InputError(f"{path}: cannot draw a chart as '{path.suffix or '(no suffix)'}'; "
                         "use .png or .svg.", field="path")
    data = render_to_bytes(report, fmt)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise InputError(f"{path}: cannot write the chart ({exc.strerror or exc}).",
                         field="path") from exc


def render_to_bytes(report: Report, fmt: str) -> bytes:
    """The chart as PNG or SVG bytes (``fmt`` is "png" or "svg")."""
    if fmt not in FORMATS:
        raise InputError(f"chart format '{fmt}' is not one of {', '.join(FORMATS)}.",
                         field="format")
    import matplotlib

    matplotlib.use("Agg")
    buffer = io.BytesIO()
    try:
        # rc_context changes process-wide settings: one chart at a time per process
        with _LOCK, matplotlib.rc_context(STYLE):
            figure = _figure(report) if isinstance(report, ProgressReport) else _load(report)
            figure.savefig(buffer, format=fmt, dpi=DPI, metadata=_metadata(fmt))
    except (ValueError, RuntimeError, OSError) as exc:
        raise InputError(f"cannot draw the chart: {exc}.") from exc
    return buffer.getvalue()


def _metadata(fmt: str) -> dict[str, str | None]:
    """No creation date, so the same report gives the same file."""
    return {"Date": None} if fmt == "svg" else {"Software": "hamstride"}


def _figure(report: ProgressReport) -> Figure:
    from matplotlib.figure import Figure

    figure = Figure(figsize=SIZE_IN, dpi=DPI, layout="constrained")
    (dose, volume), (balance, done) = figure.subplots(2, 2)
    _dose_panel(dose, report)
    _volume_panel(volume, report)
    _asymmetry_panel(balance, report)
    _adherence_panel(done, report)
    figure.suptitle(f"hamstride progress, {report.since:%d %b %Y} to {report.today:%d %b %Y}",
                    fontsize=15)
    figure.supxlabel(CAVEAT.replace(" (Green 2018);", " (Green\xa02018);\n"),
                     fontsize=10, color="#444444")
    return figure


def _numbers(days: Sequence[date]) -> list[float]:
    """Dates as matplotlib's day numbers (the axis then shows them as dates)."""
    from matplotlib.dates import date2num

    return [float(n) for n in date2num(list(days))]  # type: ignore[no-untyped-call]


def _no_data(ax: Axes, hint: str) -> None:
    ax.text(0.5, 0.5, f"{NO_DATA}\n{hint}", transform=ax.transAxes, ha="center",
            va="center", fontsize=14, color="#555555")
    ax.set_xticks([])
    ax.set_yticks([])


def _legend_on_top(ax: Axes, columns: int, highest: float, rows: int) -> None:
    """A legend above the data: the y axis grows by a band of ``rows`` legend rows."""
    ax.set_ylim(0, max(highest, 1) * (1.08 + 0.12 * rows))
    ax.legend(loc="upper left", ncols=columns, frameon=False, fontsize=9,
              handlelength=1.6, columnspacing=1.0)


def _date_axis(ax: Axes, label: str, weeks: int = 0) -> None:
    """Short date ticks ("Jan", "15", "Feb"); the year is in the figure title. Panels
    of ``weeks`` weekly bars tick on the Mondays where the bars start."""
    from matplotlib.dates import (
        MO,
        AutoDateLocator,
        ConciseDateFormatter,
        DateFormatter,
        WeekdayLocator,
    )

    if weeks:
        every = WeekdayLocator(byweekday=MO, interval=max(1, -(-weeks // 6)))  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_locator(every)
        ax.xaxis.set_major_formatter(DateFormatter("%d %b"))  # type: ignore[no-untyped-call]
    else:
        locator = AutoDateLocator(minticks=3, maxticks=7)  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(
            ConciseDateFormatter(locator, show_offset=False))  # type: ignore[no-untyped-call]
    ax.set_xlabel(label)


def _dose_panel(ax: Axes, report: ProgressReport) -> None:
    ax.set_title(TITLES["dose"])
    series = [s for s in report.dose if s.points]
    if not series:
        _no_data(ax, "log a hamstring exercise")
        return
    ax.xaxis_date()
    highest = 0
    for colour, s in zip(LINE_COLOURS, series, strict=False):
        days, totals = zip(*s.totals(), strict=True)
        ax.plot(_numbers(days), totals, marker="o", markersize=4, linewidth=1.8,
                color=colour, label=s.name if s.unit == "reps" else f"{s.name} (s)")
        highest = max(highest, *totals)
    units = sorted({"reps" if s.unit == "reps" else "seconds" for s in series})
    ax.set_ylabel(f"total per session ({' or '.join(units)})")
    _legend_on_top(ax, 2, highest, (len(series) + 1) // 2)
    _date_axis(ax, "date")
    _pad_single_date(ax, [d for s in series for d, _ in s.totals()])


def _volume_panel(ax: Axes, report: ProgressReport) -> None:
    ax.set_title(TITLES["volume"])
    volume = report.volume
    if not volume.muscles:
        _no_data(ax, "log a session")
        return
    ax.xaxis_date()
    starts = _numbers([w.week_start for w in volume.weeks])
    bottom = [0] * len(starts)
    for muscle in volume.muscles:
        heights = [w.sets[muscle] for w in volume.weeks]
        ax.bar(starts, heights, width=5, bottom=bottom, align="edge",
               color=MUSCLE_COLOURS.get(muscle, "#777777"), label=muscle.replace("_", " "))
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_ylabel("sets (each primary muscle)")
    _legend_on_top(ax, 4, max(bottom), (len(volume.muscles) + 3) // 4)
    _date_axis(ax, "week starting", weeks=len(volume.weeks))


def _asymmetry_panel(ax: Axes, report: ProgressReport) -> None:
    ax.set_title(TITLES["asymmetry"])
    trend = report.asymmetry.trend()
    if not trend:
        _no_data(ax, "log a field test")
        return
    ax.xaxis_date()
    highest = IMBALANCE_PCT[-1]
    for colour, (kind, points) in zip(LINE_COLOURS, trend.items(), strict=False):
        days, percents = zip(*points, strict=True)
        ax.plot(_numbers(days), percents, marker="o", linewidth=1.8, color=colour,
                label=TEST_LABELS.get(kind, kind.value))
        highest = max(highest, *percents)
    for threshold, style in zip(IMBALANCE_PCT, ("--", "-."), strict=True):
        ax.axhline(threshold, linestyle=style, color="#B22222", linewidth=1.2,
                   label=f"{threshold:.0f}% (Bourne 2015, rugby)")
    ax.set_ylabel("weaker leg below stronger (%)")
    _legend_on_top(ax, 2, highest, (len(trend) + 3) // 2)
    _date_axis(ax, "test date")
    _pad_single_date(ax, [d for pts in trend.values() for d, _ in pts])


def _pad_single_date(ax: Axes, days: Sequence[date]) -> None:
    """One test date would give a zero-width axis; widen it by a week each side."""
    if len(set(days)) == 1:
        middle = _numbers(days[:1])[0]
        ax.set_xlim(middle - 7, middle + 7)


def _adherence_panel(ax: Axes, report: ProgressReport) -> None:
    ax.set_title(TITLES["adherence"])
    done = report.adherence
    if done is None or not done.weeks:
        _no_data(ax, "no plan given" if done is None else "no planned session due yet")
        return
    ax.xaxis_date()
    starts = _numbers([w.week_start for w in done.weeks])
    percents = [w.percent or 0.0 for w in done.weeks]
    ax.bar(starts, percents, width=5, align="edge", color="#009E73")
    for x, y, w in zip(starts, percents, done.weeks, strict=True):
        if w.done < w.planned:  # label the weeks with a miss: "2/3" done
            ax.text(x + 2.5, y + 2, f"{w.done}/{w.planned}", ha="center", fontsize=9,
                    color="#333333")
    ax.set_ylim(0, 125)
    ax.set_yticks([0, 25, 50, 75, 100])
    ax.set_ylabel("planned sessions done (%)")
    ax.text(0.01, 0.99, f"overall {done.percent or 0:.0f}% ({done.done}/{done.planned}), "
            f"streak {done.current_streak}, best {done.longest_streak}",
            transform=ax.transAxes, ha="left", va="top", fontsize=11)
    _date_axis(ax, "week starting", weeks=len(done.weeks))


# -- running and strength load ---------------------------------------------------------------

RUN_COLOUR, STRENGTH_COLOUR, SPIKE_COLOUR = "#0072B2", "#E69F00", "#D55E00"
LOAD_SIZE_IN = (6.5, 9.0)


def _load(report: LoadReport) -> Figure:
    """Three panels: weekly running and strength load side by side, weekly distance with
    the >30% spikes (Nielsen 2014), and the acute:chronic trend with its caveat."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=LOAD_SIZE_IN, dpi=DPI, layout="constrained")  # tall: phones
    loads, distance, ratio = figure.subplots(3, 1)
    _loads_panel(loads, report)
    _distance_panel(distance, report)
    _ratio_panel(ratio, report)
    figure.suptitle(f"hamstride load, {report.since:%d %b %Y} to {report.today:%d %b %Y}",
                    fontsize=15)
    figure.supxlabel(_wrapped(LOAD_CAVEAT, 80), fontsize=9, color="#444444")
    return figure


def _wrapped(text: str, width: int = 120) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


def _loads_panel(ax: Axes, report: LoadReport) -> None:
    basis = report.basis.value.replace("_", " ") if report.basis else "no running load"
    ax.set_title(f"Weekly load: running ({basis})\nand strength (RPE x min)")
    weeks = [w.week_start for w in report.weeks]
    if not any(w.running_load or w.strength_load for w in report.weeks):
        _no_data(ax, "import runs and log sessions with their RPE and minutes")
        return
    x = _numbers(weeks)
    ax.bar([n + 1.5 for n in x], [w.running_load for w in report.weeks], width=2.8,
           color=RUN_COLOUR, label="running")
    ax.bar([n + 4.5 for n in x], [w.strength_load for w in report.weeks], width=2.8,
           color=STRENGTH_COLOUR, label="strength")
    highest = max(max(w.running_load, w.strength_load) for w in report.weeks)
    _legend_on_top(ax, 2, highest, 1)
    _date_axis(ax, "", weeks=len(weeks))


def _distance_panel(ax: Axes, report: LoadReport) -> None:
    ax.set_title("Weekly running distance (km)\nred: > 30% above two weeks before")
    weeks = [w.week_start for w in report.weeks]
    if not any(w.running_km for w in report.weeks):
        _no_data(ax, "no runs in these weeks: import your watch files")
        return
    flagged = {f.week_start for f in report.flags}
    colours = [SPIKE_COLOUR if w in flagged else RUN_COLOUR for w in weeks]
    ax.bar([n + 3 for n in _numbers(weeks)], [w.running_km for w in report.weeks], width=5,
           color=colours)
    _date_axis(ax, "", weeks=len(weeks))


def _ratio_panel(ax: Axes, report: LoadReport) -> None:
    ax.set_title("Acute (7 d) and chronic (28 d) running load\n(EWMA); dashed: the ratio")
    days = [d for d in report.days if d.acute is not None]
    if not days:
        _no_data(ax, "not enough recent running for a ratio")
        return
    x = _numbers([d.date for d in days])
    ax.plot(x, [d.acute or 0.0 for d in days], color=RUN_COLOUR, label="acute")
    ax.plot(x, [d.chronic or 0.0 for d in days], color="#009E73", label="chronic")
    ax.set_ylabel("load per day")
    rated = [d for d in days if d.ratio is not None]
    if rated:
        right = ax.twinx()
        right.plot(_numbers([d.date for d in rated]), [d.ratio or 0.0 for d in rated],
                   color="#444444", linestyle="--", label="ratio")
        right.axhline(RATIO_HIGH, color=SPIKE_COLOUR, linewidth=0.8, linestyle=":")
        right.set_ylabel("acute : chronic")
        right.set_ylim(0, max(2.0, max(d.ratio or 0 for d in rated) * 1.1))
    ax.legend(loc="upper left", frameon=False, fontsize=9)
    _date_axis(ax, "")
