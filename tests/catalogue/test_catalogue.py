"""The packaged exercise catalogue and the loader's validation."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from hamstride.catalogue import Catalogue, Exercise, load_catalogue
from hamstride.catalogue.loader import parse_exercise
from hamstride.catalogue.model import tempo_seconds
from hamstride.errors import CatalogueError
from hamstride.vocabulary import Muscle, Tag

REQUIRED_IDS = [
    "nordic_hamstring_curl",
    "romanian_deadlift",
    "single_leg_romanian_deadlift",
    "hip_extension_45",
    "glute_bridge",
    "single_leg_glute_bridge",
    "stability_ball_leg_curl",
    "slider_leg_curl",
    "seated_leg_curl",
    "lying_leg_curl",
    "askling_extender",
    "askling_diver",
    "askling_glider",
    "squat",
    "split_squat",
    "step_up",
    "calf_raise",
    "leg_press",
    "walking_lunge",
    "standing_leg_curl",
    "straight_leg_curl",
    "leg_lift",
    "single_leg_heel_raise",
    "wall_sit",
]

ARTICLE_FIVE = [
    "standing_leg_curl",
    "straight_leg_curl",
    "leg_lift",
    "single_leg_heel_raise",
    "wall_sit",
]

# What the article's exercises really train (EVIDENCE.md section 7).
HONEST_PRIMARY = {
    "straight_leg_curl": Muscle.HIP_FLEXORS,
    "leg_lift": Muscle.HIP_FLEXORS,
    "single_leg_heel_raise": Muscle.CALVES,
    "wall_sit": Muscle.QUADRICEPS,
}

ASKLING = ["askling_extender", "askling_diver", "askling_glider"]

VALID: dict[str, Any] = {
    "id": "test_curl",
    "name": "Test curl",
    "pattern": "knee_flexion",
    "muscles": {"primary": ["hamstrings"], "secondary": ["glutes"]},
    "hamstring_emphasis": "knee",
    "contraction": "mixed",
    "equipment": ["slider"],
    "hamstring_load": "high",
    "level": "novice",
    "dose": {"sets": 3, "reps": 8, "reps_max": 12, "tempo": "1-0-3", "rest_s": 60},
    "instructions": ["Lie down and lift the hips.", "Slide the heels out and back."],
    "cues": ["Hips stay up."],
    "common_faults": ["Hips sagging."],
    "evidence": {"sources": [], "summary": "No trial found for this test exercise."},
}


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _exercise(**changes: Any) -> Exercise:
    data = copy.deepcopy(VALID)
    data.update(changes)
    return Exercise.model_validate(data)


def _changed(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(VALID)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def test_catalogue_valid_dict_parses() -> None:
    exercise = parse_exercise(_dump(VALID), "test_curl.yaml")
    assert exercise.id == "test_curl"
    assert exercise.is_hamstring_work


def test_catalogue_loads_with_at_least_30_entries(catalogue: Catalogue) -> None:
    assert len(catalogue) >= 30
    assert list(catalogue) == sorted(catalogue)


@pytest.mark.parametrize("exercise_id", REQUIRED_IDS)
def test_catalogue_has_required_id(catalogue: Catalogue, exercise_id: str) -> None:
    assert catalogue[exercise_id].id == exercise_id


def test_catalogue_unknown_id_raises(catalogue: Catalogue) -> None:
    with pytest.raises(CatalogueError, match="no_such_exercise"):
        catalogue["no_such_exercise"]


@pytest.mark.parametrize(("exercise_id", "muscle"), sorted(HONEST_PRIMARY.items()))
def test_catalogue_article_exercise_has_honest_primary_muscle(
    catalogue: Catalogue, exercise_id: str, muscle: Muscle
) -> None:
    primary = catalogue[exercise_id].muscles.primary
    assert muscle in primary
    assert Muscle.HAMSTRINGS not in primary


@pytest.mark.parametrize("exercise_id", ARTICLE_FIVE)
def test_catalogue_article_exercise_points_to_hamstring_work(
    catalogue: Catalogue, exercise_id: str
) -> None:
    exercise = catalogue[exercise_id]
    assert Tag.ARTICLE in exercise.tags
    assert exercise.article is not None
    assert catalogue[exercise.article.alternative].is_hamstring_work


@pytest.mark.parametrize("exercise_id", ARTICLE_FIVE)
def test_catalogue_article_exercise_is_not_hamstring_work(
    catalogue: Catalogue, exercise_id: str
) -> None:
    assert not catalogue[exercise_id].is_hamstring_work


def test_catalogue_only_the_article_five_carry_the_article_tag(catalogue: Catalogue) -> None:
    tagged = sorted(e.id for e in catalogue.values() if Tag.ARTICLE in e.tags)
    assert tagged == sorted(ARTICLE_FIVE)


@pytest.mark.parametrize("exercise_id", ASKLING)
def test_catalogue_askling_item_is_l_protocol_not_heavy_eccentric(
    catalogue: Catalogue, exercise_id: str
) -> None:
    exercise = catalogue[exercise_id]
    assert exercise.is_l_protocol
    assert Tag.L_PROTOCOL in exercise.tags
    assert not exercise.is_heavy_eccentric


def test_catalogue_nordic_is_heavy_eccentric(catalogue: Catalogue) -> None:
    nordic = catalogue["nordic_hamstring_curl"]
    assert nordic.is_heavy_eccentric
    assert not nordic.is_l_protocol


def test_catalogue_references_resolve(catalogue: Catalogue) -> None:
    for exercise in catalogue.values():
        for ref in [*exercise.regressions, *exercise.progressions]:
            assert ref in catalogue, f"{exercise.id} refers to unknown {ref}"
            assert ref != exercise.id, f"{exercise.id} refers to itself"


def test_catalogue_text_fields_within_house_limits(catalogue: Catalogue) -> None:
    for exercise in catalogue.values():
        assert 3 <= len(exercise.instructions) <= 6, exercise.id
        assert 2 <= len(exercise.cues) <= 4, exercise.id
        assert 2 <= len(exercise.common_faults) <= 3, exercise.id


@pytest.mark.parametrize(
    ("data", "field"),
    [
        pytest.param({**VALID, "colour": "red"}, "colour", id="unknown-field"),
        pytest.param(
            _changed(("muscles", "primary"), ["biceps"]), "muscles.primary", id="unknown-muscle"
        ),
        pytest.param(
            _changed(("evidence",), {"sources": ["Smith 2020"], "summary": "Made up."}),
            "evidence",
            id="unknown-source",
        ),
        pytest.param(
            _changed(("dose",), {"sets": 3, "reps": 8, "hold_s": 30, "rest_s": 60}),
            "dose",
            id="reps-and-hold",
        ),
        pytest.param(_changed(("dose", "tempo"), "3-0"), "dose.tempo", id="bad-tempo"),
    ],
)
def test_catalogue_parse_rejects_invalid_field(data: dict[str, Any], field: str) -> None:
    with pytest.raises(CatalogueError) as info:
        parse_exercise(_dump(data), "test_curl.yaml")
    assert info.value.field is not None
    assert info.value.field.startswith(field)
    assert field in str(info.value)
    assert "test_curl.yaml" in str(info.value)


def test_catalogue_parse_rejects_no_sources_without_no_trial_summary() -> None:
    data = _changed(("evidence", "summary"), "Works great.")
    with pytest.raises(CatalogueError, match="evidence"):
        parse_exercise(_dump(data), "test_curl.yaml")


def test_catalogue_parse_rejects_invalid_yaml() -> None:
    with pytest.raises(CatalogueError, match=r"test_curl\.yaml: not valid YAML"):
        parse_exercise("id: [unclosed\nname: : :", "test_curl.yaml")


def test_catalogue_parse_rejects_file_name_not_matching_id() -> None:
    with pytest.raises(CatalogueError, match=r"file name must be the id 'test_curl\.yaml'"):
        parse_exercise(_dump(VALID), "other_name.yaml")


def test_catalogue_rejects_duplicate_id() -> None:
    with pytest.raises(CatalogueError, match=r"test_curl.*twice"):
        Catalogue([_exercise(), _exercise()])


def test_catalogue_rejects_dangling_regression() -> None:
    with pytest.raises(CatalogueError, match="no_such_exercise"):
        Catalogue([_exercise(regressions=["no_such_exercise"])])


def test_catalogue_usable_with_no_equipment(catalogue: Catalogue) -> None:
    usable = catalogue.usable_with(set())
    ids = {e.id for e in usable}
    assert all(not e.needed_equipment for e in usable)
    assert {"glute_bridge", "askling_glider"} <= ids  # the glider: a towel for a slider
    assert "nordic_hamstring_curl" not in ids
    assert ids == {e.id for e in catalogue.values() if not e.needed_equipment}


@pytest.mark.parametrize(("changes", "message"), [
    ({"hamstring_load": "none"}, "hamstring_load must be low or high"),
    ({"muscles": {"primary": ["quadriceps"]}, "hamstring_emphasis": "none"},
     "hamstring_load must be low or high"),
    ({"contraction": "eccentric", "hamstring_load": "low"}, "eccentric hamstring work is heavy"),
    ({"tags": ["l_protocol"]}, "L-protocol is low-load"),
    ({"household": [{"equipment": "bench", "use": "a sofa"}]}, "required equipment only"),
])
def test_catalogue_rejects_inconsistent_load_or_household(changes: dict[str, Any],
                                                          message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _exercise(**changes)


def test_catalogue_heavy_hamstring_loading_is_a_catalogue_property(catalogue: Catalogue) -> None:
    heavy = {e.id for e in catalogue.values() if e.is_heavy_hamstring}
    assert {"nordic_hamstring_curl", "romanian_deadlift", "single_leg_romanian_deadlift"} <= heavy
    assert not heavy & {e.id for e in catalogue.values() if e.is_l_protocol}
    assert all(e.is_heavy_hamstring for e in catalogue.values() if e.is_heavy_eccentric)


def test_catalogue_tempo_agrees_with_the_instructions(catalogue: Catalogue) -> None:
    # tempo is "down-pause-up" with the lowering (eccentric) first: an exercise whose
    # instructions lower or return "over about three seconds" has a 3 s first part
    slow = [e for e in catalogue.values() if e.dose.tempo
            and any("over about three seconds" in step for step in e.instructions)]
    assert len(slow) >= 6
    for e in slow:
        assert e.dose.tempo is not None
        assert tempo_seconds(e.dose.tempo)[0] >= 3, (e.id, e.dose.tempo)
