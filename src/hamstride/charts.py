"""The one chart module: a progress report drawn as PNG or SVG.

Four panels: dose per session of the key exercises, weekly sets (each set once, and per
muscle group), between-leg asymmetry with the 15% and 20% lines (Bourne 2015) and the
caveat (Green 2018), and plan adherence per week. ``render_to_bytes`` draws them as one
figure (the CLI's file, the API's image); ``render_panel`` draws one of them alone,
sized for a 390 px phone screen (the web's Progress page). Both use the same panel
functions; a ``_Layout`` carries what differs (tick count, legend place, type sizes).

matplotlib is imported inside the functions, with the non-interactive Agg backend, so
importing this module stays light. No pyplot state is used: each call builds its own
``Figure``, which is safe in a web server. matplotlib and OS errors become
``InputError``.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hamstride.errors import InputError
from hamstride.training.analytics import CAVEAT, IMBALANCE_PCT, AdherenceWeek, ProgressReport
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
# one panel is 302 pt wide; a 390 px phone shows it about 350 px wide, so 11 pt type
# reads as about 12.7 px
PANEL_SIZE_IN = (4.2, 3.0)
LEGEND_ROW_IN = 0.24  # a phone panel grows by this for each row of its legend
DPI = 120
NO_DATA = "no data yet"
TITLES = {
    "dose": "Dose per session",
    "volume": "Weekly sets by muscle group",
    "asymmetry": "Between-leg asymmetry",
    "adherence": "Plan adherence",
}
PANELS = tuple(TITLES)
# one colour per muscle, fixed so charts compare across reports (colour-blind safe)
MUSCLE_COLOURS = {
    "hamstrings": "#0072B2", "glutes": "#E69F00", "quadriceps": "#009E73",
    "calves": "#CC79A7", "hip_flexors": "#56B4E9", "adductors": "#D55E00",
    "core": "#F0E442", "lower_back": "#999999",
}
ALL_SETS_COLOUR = "#C9CCC4"
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
PANEL_STYLE: dict[RcKeyType, Any] = {
    **STYLE, "font.size": 11, "axes.labelsize": 11, "legend.fontsize": 11,
    "xtick.labelsize": 11, "ytick.labelsize": 11,
    # the font the layout was measured with, then the browser's; not ten fallbacks a text
    "font.sans-serif": ["DejaVu Sans"],
}


@dataclass(frozen=True)
class _Layout:
    """What the four-panel figure and a phone panel draw differently."""

    date_ticks: int  # at most this many dates on an x axis
    note_size: float  # points: numbers written on the data ("2/3" done in a week)
    label_width: int  # characters before a y-axis label wraps
    legend_width: int  # phone: characters across the legend above the axes; 0: in a band


FIGURE = _Layout(date_ticks=6, note_size=9, label_width=60, legend_width=0)
PHONE = _Layout(date_ticks=4, note_size=11, label_width=20, legend_width=46)

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
    if isinstance(report, ProgressReport):
        return _render(lambda: _figure(report), fmt, STYLE)
    return _render(lambda: _load(report), fmt, STYLE)


def render_panel(report: ProgressReport, panel: str, fmt: str) -> bytes:
    """One panel of the progress chart alone (``panel`` is one of ``PANELS``), sized for
    a phone: 4.2 in wide with 11 pt type, the legend above the axes, and no title (the
    page puts it in a heading)."""
    if panel not in TITLES:
        raise InputError(f"chart panel '{panel}' is not one of {', '.join(PANELS)}.",
                         field="panel")
    # a salt per panel: the ids of several panels inlined in one page never clash
    style = {**PANEL_STYLE, "svg.hashsalt": f"hamstride-{panel}"}
    return _render(lambda: _one_panel(report, panel), fmt, style)


def _render(build: Callable[[], Figure], fmt: str, style: dict[RcKeyType, Any]) -> bytes:
    if fmt not in FORMATS:
        raise InputError(f"chart format '{fmt}' is not one of {', '.join(FORMATS)}.",
                         field="format")
    import matplotlib

    matplotlib.use("Agg")
    buffer = io.BytesIO()
    try:
        # rc_context changes process-wide settings: one chart at a time per process
        with _LOCK, matplotlib.rc_context(style):
            build().savefig(buffer, format=fmt, dpi=DPI, metadata=_metadata(fmt))
    except (ValueError, RuntimeError, OSError) as exc:
        raise InputError(f"cannot draw the chart: {exc}.") from exc
    return buffer.getvalue()


def _metadata(fmt: str) -> dict[str, str | None]:
    """No creation date, so the same report gives the same file."""
    return {"Date": None} if fmt == "svg" else {"Software": "hamstride"}


def missing(report: ProgressReport, panel: str) -> str | None:
    """Why ``panel`` has nothing to draw, in plain words ("log a field test"); None when
    it has data."""
    if panel == "dose":
        return None if any(s.points for s in report.dose) else "log a hamstring exercise"
    if panel == "volume":
        return None if report.volume.muscles else "log a session"
    if panel == "asymmetry":
        return None if report.asymmetry.trend() else "log a field test"
    if report.adherence is None:
        return "no plan given"
    return None if _adherence_weeks(report) else "no planned session due yet"


def _adherence_weeks(report: ProgressReport) -> tuple[AdherenceWeek, ...]:
    """The plan's weeks inside the report's window (adherence covers the whole plan)."""
    done = report.adherence
    return () if done is None else tuple(w for w in done.weeks if w.week_start >= report.since)


def _figure(report: ProgressReport) -> Figure:
    from matplotlib.figure import Figure

    figure = Figure(figsize=SIZE_IN, dpi=DPI, layout="constrained")
    for ax, panel in zip(figure.subplots(2, 2).flat, PANELS, strict=True):
        ax.set_title(TITLES[panel])
        _panel(ax, report, panel, FIGURE)
    figure.suptitle(f"hamstride progress, {report.since:%d %b %Y} to {report.today:%d %b %Y}",
                    fontsize=15)
    figure.supxlabel(CAVEAT.replace(" (Green 2018);", " (Green\xa02018);\n"),
                     fontsize=10, color="#444444")
    return figure


def _one_panel(report: ProgressReport, panel: str) -> Figure:
    from matplotlib.figure import Figure

    figure = Figure(figsize=PANEL_SIZE_IN, dpi=DPI, layout="constrained")
    _panel(figure.subplots(), report, panel, PHONE)
    return figure


def _panel(ax: Axes, report: ProgressReport, panel: str, layout: _Layout) -> None:
    hint = missing(report, panel)
    if hint is None:
        _DRAW[panel](ax, report, layout)
    else:
        _no_data(ax, hint)


def _numbers(days: Sequence[date]) -> list[float]:
    """Dates as matplotlib's day numbers (the axis then shows them as dates)."""
    from matplotlib.dates import date2num

    return [float(n) for n in date2num(list(days))]  # type: ignore[no-untyped-call]


def _no_data(ax: Axes, hint: str) -> None:
    ax.text(0.5, 0.5, f"{NO_DATA}\n{hint}", transform=ax.transAxes, ha="center",
            va="center", fontsize=14, color="#555555")
    ax.set_xticks([])
    ax.set_yticks([])


def _legend(ax: Axes, layout: _Layout, highest: float, columns: int) -> None:
    """The key, never over the data. In the four-panel figure it sits in a band added on
    top of the y axis, ``columns`` across; on a phone panel it sits above the axes, as
    many columns as its labels fit, and the figure grows by its rows."""
    labels = ax.get_legend_handles_labels()[1]
    if not layout.legend_width:
        rows = -(-len(labels) // columns)
        ax.set_ylim(0, max(highest, 1) * (1.08 + 0.12 * rows))
        ax.legend(loc="upper left", ncols=columns, frameon=False, fontsize=9,
                  handlelength=1.6, columnspacing=1.0)
        return
    widest = max(map(len, labels)) + 5  # characters, with the line sample and a gap
    columns = max(1, min(len(labels), layout.legend_width // widest))
    rows = -(-len(labels) // columns)
    ax.set_ylim(0, max(highest, 1) * 1.15)  # room for the number on this week's bar
    figure = ax.get_figure(root=True)
    assert figure is not None  # every axes here is drawn on a figure
    figure.legend(loc="outside upper left", ncols=columns, frameon=False, handlelength=1.6,
                  columnspacing=1.0, borderaxespad=0.2)
    width, height = figure.get_size_inches()
    figure.set_size_inches(width, height + rows * LEGEND_ROW_IN)


def _date_axis(ax: Axes, layout: _Layout, label: str, weeks: int = 0) -> None:
    """Date ticks as "04 Jan" (the year is in the figure title or the page). Panels of
    ``weeks`` weekly bars tick on the Mondays where the bars start."""
    from matplotlib.dates import MO, AutoDateLocator, DateFormatter, WeekdayLocator

    if weeks:
        ax.xaxis.set_major_locator(WeekdayLocator(  # type: ignore[no-untyped-call]
            byweekday=MO, interval=max(1, -(-weeks // layout.date_ticks))))
    else:
        ax.xaxis.set_major_locator(AutoDateLocator(  # type: ignore[no-untyped-call]
            minticks=3, maxticks=layout.date_ticks + 1))
    ax.xaxis.set_major_formatter(DateFormatter("%d %b"))  # type: ignore[no-untyped-call]
    ax.set_xlabel(label)


def _window(ax: Axes, report: ProgressReport) -> None:
    """Weekly bars span the report's weeks, from its first Monday to the current week's
    end, however few of them have a bar."""
    first, last = _numbers([report.volume.weeks[0].week_start,
                            report.volume.this_week.week_start])
    ax.set_xlim(first - 1, last + 6)


def _ylabel(ax: Axes, layout: _Layout, label: str) -> None:
    ax.set_ylabel(_wrapped(label, layout.label_width))


def _dose_panel(ax: Axes, report: ProgressReport, layout: _Layout) -> None:
    series = [s for s in report.dose if s.points]
    ax.xaxis_date()
    highest = 0
    for colour, s in zip(LINE_COLOURS, series, strict=False):
        days, totals = zip(*s.totals(), strict=True)
        ax.plot(_numbers(days), totals, marker="o", markersize=4, linewidth=1.8,
                color=colour, label=s.name if s.unit == "reps" else f"{s.name} (s)")
        highest = max(highest, *totals)
    units = sorted({"reps" if s.unit == "reps" else "seconds" for s in series})
    _ylabel(ax, layout, f"total per session ({' or '.join(units)})")
    _legend(ax, layout, highest, 2)
    _date_axis(ax, layout, "date")
    _pad_short_span(ax, [d for s in series for d, _ in s.totals()])


def _volume_panel(ax: Axes, report: ProgressReport, layout: _Layout) -> None:
    """Bars: each week's sets, each set once (the last bar is the page's "sets this
    week"). Lines: sets for each primary muscle, so one bridge set counts for two."""
    weeks = report.volume.weeks
    ax.xaxis_date()
    starts = _numbers([w.week_start for w in weeks])
    middles = [x + 2.5 for x in starts]
    totals = [w.total_sets for w in weeks]
    ax.bar(starts, totals, width=5, align="edge", color=ALL_SETS_COLOUR, label="all sets")
    for muscle in report.volume.muscles:
        ax.plot(middles, [w.sets[muscle] for w in weeks], marker="o", markersize=4,
                linewidth=1.8, color=MUSCLE_COLOURS.get(muscle, "#777777"),
                label=muscle.replace("_", " "))
    # this week's sets, on a white patch above the lines that come down to its bar
    ax.annotate(str(totals[-1]), (middles[-1], totals[-1]), xytext=(0, 6),
                textcoords="offset points", ha="center", va="bottom", zorder=5,
                fontsize=layout.note_size, fontweight="bold",
                bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"})
    _ylabel(ax, layout, "sets a week")
    _legend(ax, layout, max(totals), 4)
    _date_axis(ax, layout, "week starting", weeks=len(weeks))
    _window(ax, report)


def _asymmetry_panel(ax: Axes, report: ProgressReport, layout: _Layout) -> None:
    trend = report.asymmetry.trend()
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
    _ylabel(ax, layout, "weaker leg below stronger (%)")
    _legend(ax, layout, highest, 2)
    _date_axis(ax, layout, "test date")
    _pad_short_span(ax, [d for pts in trend.values() for d, _ in pts])


def _pad_short_span(ax: Axes, days: Sequence[date]) -> None:
    """Dates less than two weeks apart (one test date: a zero-width axis) would tick by
    the hour; widen the axis to a fortnight around them."""
    first, last = _numbers([min(days), max(days)])
    if last - first < 14:
        middle = (first + last) / 2
        ax.set_xlim(middle - 7, middle + 7)


def _adherence_panel(ax: Axes, report: ProgressReport, layout: _Layout) -> None:
    done, weeks = report.adherence, _adherence_weeks(report)
    assert done is not None  # missing() says "no plan given" first
    ax.xaxis_date()
    starts = _numbers([w.week_start for w in weeks])
    percents = [w.percent or 0.0 for w in weeks]
    ax.bar(starts, percents, width=5, align="edge", color="#009E73")
    for x, y, w in zip(starts, percents, weeks, strict=True):
        if w.done < w.planned:  # label the weeks with a miss: "2/3" done
            ax.text(x + 2.5, y + 2, f"{w.done}/{w.planned}", ha="center",
                    fontsize=layout.note_size, color="#333333")
    ax.set_ylim(0, 125)
    ax.set_yticks([0, 25, 50, 75, 100])
    _ylabel(ax, layout, "planned sessions done (%)")
    ax.text(0.02, 0.99, f"overall {done.percent or 0:.0f}% ({done.done}/{done.planned}), "
            f"streak {done.current_streak}, best {done.longest_streak}",
            transform=ax.transAxes, ha="left", va="top", fontsize=11)
    _date_axis(ax, layout, "week starting", weeks=report.weeks)
    _window(ax, report)


_DRAW: dict[str, Callable[[Axes, ProgressReport, _Layout], None]] = {
    "dose": _dose_panel, "volume": _volume_panel, "asymmetry": _asymmetry_panel,
    "adherence": _adherence_panel,
}


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
    _legend(ax, FIGURE, highest, 2)
    _date_axis(ax, FIGURE, "", weeks=len(weeks))


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
    _date_axis(ax, FIGURE, "", weeks=len(weeks))


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
    _date_axis(ax, FIGURE, "")
