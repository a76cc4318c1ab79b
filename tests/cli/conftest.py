"""Shared helpers for the CLI tests: a runner, a throw-away database, the examples."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from hamstride.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").iterdir())
START = "2026-11-30"
TODAY = "2026-12-15"  # HAMSTRIDE_TODAY for every CLI test

Invoke = Callable[..., Result]


@pytest.fixture(autouse=True)
def _no_default_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing a test runs may touch the user's real database."""
    monkeypatch.setenv("HAMSTRIDE_DB", f"sqlite:///{tmp_path / 'default.db'}")


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The clock the CLI reads: tests log sessions up to this day, never after it."""
    monkeypatch.setenv("HAMSTRIDE_TODAY", TODAY)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 't.db'}"


@pytest.fixture
def invoke() -> Invoke:
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=input)

    return run


def assert_clean_error(result: Result, *needles: str) -> None:
    """Exit 2, one ``error:`` paragraph naming each needle, no traceback."""
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: "), result.output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)
