"""The published plan schema (hamstride.plan/1) describes every plan hamstride writes."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from hamstride.errors import PlanFormatError
from hamstride.training.plan import SCHEMA_ID, Plan, json_schema, plan_from_data, plan_from_json
from hamstride.training.profile import load_profile
from tests.training.factories import plan_for

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*"))
COMMITTED_SCHEMA = ROOT / "docs" / "plan.schema.json"
STARTS = (date(2026, 11, 30), date(2027, 1, 4))

Doc = dict[str, Any]


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def example_plan(path: Path, start: date) -> Plan:
    return plan_for(load_profile(path), start=start, weeks=16)


def test_plan_schema_is_valid_draft_2020_12() -> None:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == "https://hamstride.invalid/plan.schema.json"
    assert "hamstride.plan/1" in schema["title"]
    assert schema["properties"]["schema"]["const"] == SCHEMA_ID


@pytest.mark.parametrize("start", STARTS, ids=str)
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_plan_schema_validates_every_example_plan(
        validator: jsonschema.Draft202012Validator, path: Path, start: date) -> None:
    document = example_plan(path, start).to_document()
    assert document["schema"] == SCHEMA_ID
    validator.validate(document)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_plan_document_round_trips_through_the_model(path: Path) -> None:
    plan = example_plan(path, STARTS[1])
    assert plan_from_data(plan.to_document()) == plan
    assert plan_from_json(plan.to_json()).to_json() == plan.to_json()


def test_plan_to_json_is_canonical() -> None:
    plan = example_plan(EXAMPLES[0], STARTS[0])
    text = plan.to_json()
    assert text.endswith("}\n")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
    assert list(json.loads(text)) == ["schema", "start", "athlete", "notes", "weeks"]


def _set(path: tuple[Any, ...], value: Any) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        target: Any = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def _first_item(doc: Doc) -> Doc:
    item: Doc = doc["weeks"][0]["sessions"][0]["items"][0]
    return item


BREAKAGES: dict[str, Callable[[Doc], None]] = {
    "unknown top-level field": _set(("colour",), "red"),
    "wrong schema id": _set(("schema",), "hamstride.plan/2"),
    "bad start date": _set(("start",), "2027-02-30"),
    "week 0": _set(("weeks", 0, "week"), 0),
    "session without items": _set(("weeks", 0, "sessions", 0, "items"), []),
    "negative estimate": _set(("weeks", 0, "sessions", 0, "estimated_minutes"), -1),
    "two-letter superset": lambda d: _first_item(d).update(superset="AA"),
    "zero reps": lambda d: _first_item(d).update(sets=[{"reps": 0}]),
    "set with reps and hold": lambda d: _first_item(d).update(sets=[{"reps": 5, "hold_s": 5}]),
    "unknown equipment": lambda d: _first_item(d).update(equipment=["treadmill"]),
    "bad tempo": lambda d: _first_item(d).update(tempo="slow"),
    "upper-case exercise id": lambda d: _first_item(d).update(exercise="Squat"),
    "unknown item field": lambda d: _first_item(d).update(load_kg=20),
}


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_plan_schema_and_model_both_reject_bad_documents(
        validator: jsonschema.Draft202012Validator, name: str) -> None:
    doc = copy.deepcopy(example_plan(EXAMPLES[0], STARTS[0]).to_document())
    BREAKAGES[name](doc)
    assert not validator.is_valid(doc)
    with pytest.raises(PlanFormatError):
        plan_from_data(doc)


def test_plan_schema_matches_the_committed_file() -> None:
    assert COMMITTED_SCHEMA.exists(), "docs/plan.schema.json must be committed"
    committed = json.loads(COMMITTED_SCHEMA.read_text(encoding="utf-8"))
    assert committed == json_schema(), (
        "docs/plan.schema.json is stale: regenerate it from hamstride.training.plan.json_schema()")
