"""The one clock every interface reads (HAMSTRIDE_TODAY fixes it for tests and demos)."""

from __future__ import annotations

from datetime import date

import pytest

from hamstride import clock
from hamstride.errors import InputError


def test_clock_is_the_real_date_without_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(clock.ENV, raising=False)
    assert clock.fixed_today() is None
    assert clock.today() == date.today()


def test_clock_follows_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.ENV, "2027-02-03")
    assert clock.today() == date(2027, 2, 3)


def test_clock_bad_variable_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.ENV, "tomorrow")
    with pytest.raises(InputError, match="HAMSTRIDE_TODAY: 'tomorrow' is not a date"):
        clock.today()
