"""Load and validate the exercise data files (one YAML file per exercise)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from hamstride.catalogue.model import Exercise
from hamstride.errors import CatalogueError
from hamstride.vocabulary import Equipment

try:  # the C loader is ten times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class Catalogue(Mapping[str, Exercise]):
    """Exercises by id, in id order, with cross-references checked."""

    def __init__(self, exercises: list[Exercise]) -> None:
        self._by_id: dict[str, Exercise] = {}
        for exercise in sorted(exercises, key=lambda e: e.id):
            if exercise.id in self._by_id:
                raise CatalogueError(f"exercise id '{exercise.id}' is defined twice")
            self._by_id[exercise.id] = exercise
        self._check_references()

    def __getitem__(self, exercise_id: str) -> Exercise:
        try:
            return self._by_id[exercise_id]
        except KeyError:
            raise CatalogueError(
                f"unknown exercise '{exercise_id}' (not in the exercise catalogue)",
                field="exercise", cli_hint="`hamstride exercises` lists them.",
            ) from None

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self._by_id

    def get(self, exercise_id: str, default: Exercise | None = None) -> Exercise | None:  # type: ignore[override]
        return self._by_id.get(exercise_id, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def usable_with(self, equipment: set[Equipment]) -> list[Exercise]:
        """Exercises whose required equipment is available or has a household stand-in."""
        return [e for e in self._by_id.values() if e.usable_with(equipment)]

    def _check_references(self) -> None:
        for exercise in self._by_id.values():
            refs = [*exercise.regressions, *exercise.progressions]
            if exercise.article is not None:
                refs.append(exercise.article.alternative)
            missing = [r for r in refs if r not in self._by_id]
            if missing:
                raise CatalogueError(f"exercise '{exercise.id}' refers to unknown ids {missing}")


def parse_exercise(text: str, source: str) -> Exercise:
    """Parse one data file's text; errors name the file and the field."""
    try:
        raw = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{source}: not valid YAML ({exc})") from exc
    try:
        exercise = Exercise.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise CatalogueError(f"{source}: {where}: {first['msg']}", field=where) from exc
    if Path(source).stem != exercise.id:
        raise CatalogueError(f"{source}: file name must be the id '{exercise.id}.yaml'")
    return exercise


@cache
def load_catalogue() -> Catalogue:
    """The packaged catalogue, loaded once per process."""
    folder = resources.files("hamstride.catalogue") / "data"
    exercises = [
        parse_exercise(entry.read_text(encoding="utf-8"), entry.name)
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml")
    ]
    return Catalogue(exercises)
