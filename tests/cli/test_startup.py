"""Start-up stays light, and the real console script runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.cli.conftest import EXAMPLES, ROOT, START

HEAVY = ("sqlalchemy", "alembic", "pydantic", "yaml")


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120, check=False)


def test_importing_the_cli_does_not_import_heavy_modules() -> None:
    result = _run("-X", "importtime", "-c", "import hamstride.cli.main")
    assert result.returncode == 0, result.stderr
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines()
                if line.startswith("import time:")}
    assert "hamstride.cli.main" in imported
    heavy = sorted(m for m in imported if m.split(".")[0] in HEAVY)
    assert heavy == []
    assert not any(m.startswith(("hamstride.training", "hamstride.store",
                                 "hamstride.catalogue")) for m in imported)


def test_help_runs_as_a_module_and_lists_every_command() -> None:
    result = _run("-m", "hamstride.cli", "--help")
    assert result.returncode == 0, result.stderr
    for command in ("init", "plan", "check", "exercises", "exercise", "equipment", "plans",
                    "today", "log", "field-test", "progress"):
        assert command in result.stdout


def test_version_from_the_console_script() -> None:
    script = Path(sys.executable).with_name("hamstride")
    args = [str(script)] if script.exists() else [sys.executable, "-m", "hamstride.cli.main"]
    result = subprocess.run([*args, "--version"], capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 0
    assert result.stdout.strip() == "hamstride 0.1.0"


def test_real_process_plan_then_check(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'p.db'}"
    profile = str(EXAMPLES[0])
    out = tmp_path / "plan.json"
    made = _run("-m", "hamstride.cli.main", "plan", profile, "--start", START, "--weeks", "3",
                "--format", "json", "-o", str(out), "--db", db)
    assert made.returncode == 0, made.stderr
    assert f"to {out}" in made.stderr and made.stdout == ""
    checked = _run("-m", "hamstride.cli.main", "check", str(out), "--profile", profile)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no violations" in checked.stdout


def test_real_process_errors_have_no_traceback(tmp_path: Path) -> None:
    result = _run("-m", "hamstride.cli.main", "plan", str(tmp_path), "--no-save")
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr
