"""``hamstride digest send``: two real processes started at once against one database
(SQLite, and PostgreSQL when HAMSTRIDE_TEST_PG_URL is set) and a real SMTP server deliver
one digest per opted-in runner and none to the others; a refused recipient is exit 1 and
is sent by the next run; missing settings are one clear error, exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from hamstride.digest import BASE_ENV
from hamstride.mail import ENV as SMTP_ENV
from hamstride.store import Store
from tests.cli.conftest import Invoke, assert_clean_error
from tests.digest_factories import ANN, BASE, BOB, CAT, DEE, EVE, WEEK, seed
from tests.mail_server import SmtpServer

ROOT = Path(__file__).resolve().parents[2]


def _seeded(url: str) -> None:
    with Store.open(url) as store:
        seed(store)


def _digests(server: SmtpServer) -> Counter[str]:
    return Counter(str(m["To"]) for m in server.messages
                   if not str(m["Subject"]).startswith("Today:"))


def _start(url: str, server: SmtpServer) -> subprocess.Popen[str]:
    env = {**os.environ, SMTP_ENV: server.url, "HAMSTRIDE_TODAY": WEEK.isoformat(),
           "PYTHONPATH": str(ROOT / "src")}
    env.pop(BASE_ENV, None)
    return subprocess.Popen(
        [sys.executable, "-m", "hamstride.cli", "digest", "send", "--db", url,
         "--base-url", BASE], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)


def test_two_runs_at_once_send_one_digest_per_opted_in_runner(
        db_url: str, smtp_server: SmtpServer) -> None:
    _seeded(db_url)
    runs = [_start(db_url, smtp_server) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert _digests(smtp_server) == Counter({ANN: 1, CAT: 1})
    assert [m["To"] for m in smtp_server.messages].count(DEE) == 1  # her reminder, once
    for email in (BOB, EVE):
        assert email not in [m["To"] for m in smtp_server.messages]
    printed = "".join(out for out, _ in outputs)
    assert printed.count("sent     digest") == 2 and printed.count("skipped  digest") == 2
    third = _start(db_url, smtp_server)
    out, err = third.communicate(timeout=120)
    assert third.returncode == 0, err
    assert "0 sent, 3 sent before, 0 failed" in out
    assert len(smtp_server.messages) == 3


def test_a_refused_recipient_is_exit_1_and_sent_once_by_the_next_run(
        invoke: Invoke, db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _seeded(db)
    monkeypatch.setenv("HAMSTRIDE_TODAY", WEEK.isoformat())
    monkeypatch.setenv(BASE_ENV, BASE)
    with SmtpServer() as first:
        first.refuse(ANN)
        monkeypatch.setenv(SMTP_ENV, first.url)
        result = invoke("digest", "send", "--db", db)
        assert result.exit_code == 1, result.output
        assert f"failed   digest   {ANN}" in result.stderr and "550" in result.stderr
        assert "2 sent, 0 sent before, 1 failed (the next run tries them again)" in (
            result.stdout)
        assert sorted(m["To"] for m in first.messages) == [CAT, DEE]
    with SmtpServer() as second:
        monkeypatch.setenv(SMTP_ENV, second.url)
        again = invoke("digest", "send", "--db", db, "--week", "2026-12-09")
        assert again.exit_code == 0, again.output
        assert invoke("digest", "send", "--db", db).exit_code == 0
        assert [m["To"] for m in second.messages] == [ANN]


def test_without_a_mail_server_it_says_so_and_sends_nothing(
        invoke: Invoke, db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SMTP_ENV, raising=False)
    assert_clean_error(invoke("digest", "send", "--db", db, "--base-url", BASE), SMTP_ENV)


@pytest.mark.parametrize(("args", "needles"), [
    ([], ("--base-url", BASE_ENV)),
    (["--base-url", "hamstride.example.org"], ("--base-url", "http")),
    (["--base-url", BASE, "--week", "2026-13-01"], ("--week",)),
])
def test_bad_options_are_one_clear_error(invoke: Invoke, db: str, args: list[str],
                                         needles: tuple[str, ...],
                                         monkeypatch: pytest.MonkeyPatch,
                                         smtp_server: SmtpServer) -> None:
    monkeypatch.setenv(SMTP_ENV, smtp_server.url)
    monkeypatch.delenv(BASE_ENV, raising=False)
    _seeded(db)
    assert_clean_error(invoke("digest", "send", "--db", db, *args), *needles)
    assert smtp_server.messages == []
