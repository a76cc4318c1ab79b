"""Profiles written by `hamstride init` (TOML through tomli-w, or JSON) load back equal."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from hamstride.cli.options import ProfileFormat
from hamstride.cli.profile_init import render
from hamstride.training.profile import Profile, load_profile
from tests.training.test_properties import profiles


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=profiles())
def test_profile_render_round_trips(case: tuple[Profile, date, int], tmp_path: Path) -> None:
    profile = case[0]
    for fmt in ProfileFormat:
        path = tmp_path / f"p.{fmt.value}"
        path.write_text(render(profile, fmt), encoding="utf-8")
        assert load_profile(path) == profile
