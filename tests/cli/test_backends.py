"""The CLI's storage path on every backend: SQLite always, PostgreSQL when
HAMSTRIDE_TEST_PG_URL is set (as .ci/run does)."""

from __future__ import annotations

import json

from tests.cli.conftest import EXAMPLES, START, Invoke


def test_backends_plan_is_saved_and_listed(invoke: Invoke, db_url: str) -> None:
    profile = str(EXAMPLES[0])
    for weeks in ("2", "3"):
        result = invoke("plan", profile, "--start", START, "--weeks", weeks, "--format", "json",
                        "--db", db_url)
        assert result.exit_code == 0, result.output
    listed = invoke("plans", "--db", db_url, "--format", "json")
    assert listed.exit_code == 0, listed.output
    plans = json.loads(listed.stdout)
    assert [p["weeks"] for p in plans] == [3, 2]  # newest first
    assert [p["active"] for p in plans] == [True, False]


def test_backends_unreachable_database_is_a_clear_error(invoke: Invoke) -> None:
    result = invoke("plan", str(EXAMPLES[0]), "--start", START,
                    "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert result.exit_code == 2
    assert "error:" in result.output and "Traceback" not in result.output
