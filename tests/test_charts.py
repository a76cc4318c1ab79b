"""The progress chart: one figure of four panels or one phone-sized panel, PNG or SVG,
errors as InputError."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from hamstride.charts import (
    NO_DATA,
    PANELS,
    TITLES,
    missing,
    render_panel,
    render_progress,
    render_to_bytes,
)
from hamstride.errors import InputError
from hamstride.training.analytics import ProgressReport, progress_report
from hamstride.training.log import FieldTest, LoggedSession, LoggedSet, Side
from hamstride.training.log import TestKind as Kind  # not a test class for pytest
from tests.training.factories import START, catalogue, make_profile, plan_for
from tests.training.factories import sessions as plan_sessions

TODAY = START + timedelta(weeks=6, days=2)


def followed_log(skip_every: int = 4) -> list[LoggedSession]:
    """Every planned session up to TODAY but one in ``skip_every``, with per-side work."""
    plan = plan_for(make_profile(strength_days=["mon", "wed", "fri"]), weeks=8)
    log = []
    for n, planned in enumerate(s for s in plan_sessions(plan) if s.date <= TODAY):
        if n % skip_every == skip_every - 1:
            continue
        sets = [LoggedSet(exercise=item.exercise, reps=getattr(st, "reps", None),
                          hold_s=getattr(st, "hold_s", None))
                for item in planned.items for st in item.sets]
        sets += [LoggedSet(exercise="single_leg_glute_bridge", reps=10 - (side == "right"),
                           side=Side(side)) for side in ("left", "right")]
        log.append(LoggedSession(id=f"s{n}", date=planned.date, session_rpe=6,
                                 duration_min=planned.estimated_minutes, sets=sets))
    return log


def field_tests() -> list[FieldTest]:
    return [FieldTest(id=f"t{n}", date=START + timedelta(weeks=3 * n),
                      kind=Kind.SINGLE_LEG_BRIDGE, left=24 + n, right=19 + 2 * n)
            for n in range(3)]


@pytest.fixture(scope="module")
def report() -> ProgressReport:
    plan = plan_for(make_profile(strength_days=["mon", "wed", "fri"]), weeks=8)
    return progress_report(followed_log(), field_tests(), catalogue(), TODAY, plan=plan,
                           weeks=7)


@pytest.fixture(scope="module")
def empty() -> ProgressReport:
    return progress_report([], [], catalogue(), TODAY)


def test_charts_png_is_a_non_blank_picture(report: ProgressReport, tmp_path: Path) -> None:
    from matplotlib.image import imread

    path = tmp_path / "progress.png"
    render_progress(report, path)
    assert path.stat().st_size > 20_000
    pixels = imread(path)
    assert pixels.shape[:2] == (960, 1200)  # 10 x 8 in at 120 dpi
    assert pixels.var() > 0
    colours = {tuple(p) for p in pixels.reshape(-1, pixels.shape[2])[::7].tolist()}
    assert len(colours) > 50


def test_charts_svg_has_drawing_and_the_panel_titles(report: ProgressReport,
                                                     tmp_path: Path) -> None:
    path = tmp_path / "progress.SVG"  # the suffix is read case-insensitively
    render_progress(report, path)
    svg = path.read_text(encoding="utf-8")
    assert svg.count("<path") > 20
    for title in TITLES.values():
        assert title in svg
    assert "Bourne 2015" in svg
    assert "Information, not diagnosis" in svg
    assert NO_DATA not in svg


def test_charts_an_empty_report_says_no_data_yet_in_every_panel(empty: ProgressReport,
                                                                tmp_path: Path) -> None:
    path = tmp_path / "empty.svg"
    render_progress(empty, path)
    svg = path.read_text(encoding="utf-8")
    assert svg.count(NO_DATA) == 4
    assert "no plan given" in svg


def test_charts_render_to_bytes_gives_both_formats(report: ProgressReport) -> None:
    assert render_to_bytes(report, "png").startswith(b"\x89PNG\r\n\x1a\n")
    assert b"<svg" in render_to_bytes(report, "svg")[:2000]


def test_charts_the_same_report_gives_the_same_svg(report: ProgressReport) -> None:
    assert render_to_bytes(report, "svg") == render_to_bytes(report, "svg")


def test_charts_a_single_test_date_still_draws(tmp_path: Path) -> None:
    one = [FieldTest(id="t", date=START, kind=Kind.NORDIC_FORCE, left=300, right=240)]
    render_progress(progress_report([], one, catalogue(), TODAY), tmp_path / "one.png")
    assert (tmp_path / "one.png").stat().st_size > 10_000


@pytest.mark.parametrize("name", ["progress.jpg", "progress", "progress.png.txt"])
def test_charts_other_suffixes_are_refused(empty: ProgressReport, tmp_path: Path,
                                           name: str) -> None:
    with pytest.raises(InputError, match=r"use \.png or \.svg") as caught:
        render_progress(empty, tmp_path / name)
    assert (Path(name).suffix or "(no suffix)") in str(caught.value)
    assert not (tmp_path / name).exists()


def test_charts_an_unknown_byte_format_is_refused(empty: ProgressReport) -> None:
    with pytest.raises(InputError, match="'pdf'"):
        render_to_bytes(empty, "pdf")


def test_charts_an_unwritable_path_is_an_input_error(empty: ProgressReport,
                                                     tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot write the chart"):
        render_progress(empty, tmp_path / "missing" / "progress.png")
    (tmp_path / "dir.png").mkdir()
    with pytest.raises(InputError, match="cannot write the chart"):
        render_progress(empty, tmp_path / "dir.png")


def test_charts_importing_the_module_does_not_load_matplotlib() -> None:
    code = "import sys, hamstride.charts; print('matplotlib' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


def test_charts_the_sample_report_fills_every_panel(report: ProgressReport) -> None:
    assert report.since == START
    assert report.dose and all(START <= p.date <= TODAY for s in report.dose for p in s.points)
    assert report.volume.muscles and report.asymmetry.trend()
    assert report.adherence is not None and report.adherence.missed


# -- one panel, for a phone (issue 10 item 12) --------------------------------------------

PHONE_CHART_PX = 350  # a 390 px screen less the page's margins


def font_sizes(svg: str) -> list[float]:
    return [float(size) for size in re.findall(r"<text [^>]*font-size: ([\d.]+)px", svg)]


@pytest.mark.parametrize("panel", PANELS)
def test_charts_a_panel_is_drawn_for_a_phone_with_readable_type(report: ProgressReport,
                                                                panel: str) -> None:
    svg = render_panel(report, panel, "svg").decode("utf-8")
    found = re.search(r'<svg [^>]*viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    assert found
    width, height = map(float, found.groups())
    assert width == pytest.approx(4.2 * 72) and 3 * 72 <= height <= 5 * 72  # points
    sizes = font_sizes(svg)
    assert len(sizes) > 8  # real text, with its size
    # shown PHONE_CHART_PX wide, a point of the drawing is PHONE_CHART_PX / width px
    assert min(sizes) * PHONE_CHART_PX / width >= 12
    assert TITLES[panel] not in svg  # the page's heading says it
    assert NO_DATA not in svg


@pytest.mark.parametrize("panel", ["dose", "volume", "asymmetry"])
def test_charts_a_panels_legend_sits_above_its_axes(report: ProgressReport,
                                                    panel: str) -> None:
    svg = render_panel(report, panel, "svg").decode("utf-8")
    box = re.search(r'<g id="patch_2">\s*<path d="M [\d.]+ [\d.]+\s*L [\d.]+ [\d.]+\s*'
                    r'L [\d.]+ ([\d.]+)', svg)  # the axes' white box, its top edge third
    assert box
    legend = svg[svg.index('<g id="legend_1">'):]
    lowest = max(float(y) for y in re.findall(r'<text [^>]* y="([\d.]+)"', legend))
    assert lowest < float(box.group(1))  # y grows downwards: every label above the data


def test_charts_a_panel_without_data_says_what_to_log(empty: ProgressReport) -> None:
    assert {panel: missing(empty, panel) for panel in PANELS} == {
        "dose": "log a hamstring exercise", "volume": "log a session",
        "asymmetry": "log a field test", "adherence": "no plan given"}
    svg = render_panel(empty, "asymmetry", "svg").decode("utf-8")
    assert NO_DATA in svg and "log a field test" in svg


def test_charts_a_panel_has_data_when_the_report_has(report: ProgressReport) -> None:
    assert [missing(report, panel) for panel in PANELS] == [None] * 4


def test_charts_the_volume_panel_writes_this_weeks_sets_on_its_last_bar(
        report: ProgressReport) -> None:
    # the number the progress page's "sets this week" tile shows, from the same week
    this_week = report.volume.this_week
    assert 0 < this_week.total_sets < sum(this_week.sets.values())
    svg = render_panel(report, "volume", "svg").decode("utf-8")
    bold = re.findall(r'<text style="font-weight: 700[^>]*>([^<]*)</text>', svg)
    assert bold == [str(this_week.total_sets)]


def test_charts_an_unknown_panel_is_refused(report: ProgressReport) -> None:
    with pytest.raises(InputError, match="'load' is not one of dose, volume"):
        render_panel(report, "load", "svg")
    with pytest.raises(InputError, match="'pdf'"):
        render_panel(report, "dose", "pdf")


def test_charts_adherence_shows_only_the_weeks_of_the_window() -> None:
    plan = plan_for(make_profile(strength_days=["mon", "wed", "fri"]), weeks=8)
    two_weeks = progress_report(followed_log(), [], catalogue(), TODAY, plan=plan, weeks=2)
    assert two_weeks.adherence is not None and len(two_weeks.adherence.weeks) == 7
    svg = render_panel(two_weeks, "adherence", "svg").decode("utf-8")
    assert svg.count("2/3") == 1  # of the six missed weeks, one is in the last two
