"""The docs are part of the feature: a command or rule that is not documented fails."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from hamstride.cli.main import app
from hamstride.training import checker

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
RULES_DOC = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", _commands())
def test_docs_readme_shows_every_command(command: str) -> None:
    assert re.search(rf"^hamstride {command}\b", README, re.MULTILINE), command


@pytest.mark.parametrize("rule", [f.__module__.rsplit(".", 1)[-1] for f in checker.RULES])
def test_docs_rules_page_lists_every_rule(rule: str) -> None:
    module = __import__(f"hamstride.training.rules.{rule}", fromlist=["RULE"])
    assert f"| {module.RULE} |" in RULES_DOC


def test_docs_readme_gives_exactly_two_setup_commands() -> None:
    section = README.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```\n(.*?)```", section, re.DOTALL)
    assert [b.strip() for b in blocks] == ["./scripts/run", "./scripts/test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "./scripts/test" in ci


def test_docs_example_plans_match_the_planner() -> None:
    """docs/examples/ holds what the planner makes today (scripts/example_plans.py)."""
    import subprocess
    import sys

    script = ROOT / "scripts" / "example_plans.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
