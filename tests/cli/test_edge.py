"""The one error mapping at the edge."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import pytest

from hamstride.cli import commands
from tests.cli.conftest import EXAMPLES, Invoke, assert_clean_error


def _boom(*_args: object, **_kwargs: object) -> NoReturn:
    raise RuntimeError("kaput")


def test_a_bug_is_reported_without_a_traceback(invoke: Invoke,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(commands, "exercises", _boom)
    result = invoke("exercises")
    assert result.exit_code == 70
    assert result.stderr.startswith("error: internal error (RuntimeError: kaput)")
    assert "HAMSTRIDE_DEBUG=1" in result.stderr
    assert "Traceback" not in result.output


def test_debug_lets_the_traceback_through(invoke: Invoke,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(commands, "exercises", _boom)
    monkeypatch.setenv("HAMSTRIDE_DEBUG", "1")
    result = invoke("exercises")
    assert isinstance(result.exception, RuntimeError)


def test_an_os_error_is_a_clean_error(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(*_args: object, **_kwargs: object) -> NoReturn:
        raise PermissionError(13, "Permission denied", "/some/file")

    monkeypatch.setattr(commands, "exercises", denied)
    assert_clean_error(invoke("exercises"), "/some/file: Permission denied.")


def test_output_under_a_file_is_a_clean_error(invoke: Invoke, tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    assert_clean_error(invoke("plan", str(EXAMPLES[0]), "--no-save", "-o",
                              str(afile / "plan.json")), "is not a folder")


def test_too_many_weeks_names_the_option(invoke: Invoke) -> None:
    assert_clean_error(invoke("plan", str(EXAMPLES[0]), "--no-save", "--weeks", "60"),
                       "--weeks", "1 to 52")


def test_the_cli_adds_its_own_hint_that_api_clients_never_see(
        db: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The core says what is wrong; what to type next is the CLI's (cli_hint)."""
    from fastapi.testclient import TestClient

    from hamstride.catalogue import load_catalogue
    from hamstride.cli.edge import report
    from hamstride.errors import CatalogueError
    from hamstride.web.app import create_app
    from hamstride.web.settings import Settings

    with pytest.raises(CatalogueError) as caught:
        load_catalogue()["nordic"]
    assert report(caught.value) == 2
    assert capsys.readouterr().err == ("error: unknown exercise 'nordic' (not in the exercise "
                                       "catalogue). `hamstride exercises` lists them.\n")
    with TestClient(create_app(Settings(db_url=db, allowed_hosts=("testserver",)))) as client:
        answer = client.get("/api/v1/exercises/nordic")
    assert answer.status_code == 404
    assert "unknown exercise 'nordic'" in answer.text and "hamstride exercises" not in answer.text
