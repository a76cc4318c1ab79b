"""The exercise model: what every catalogue entry must say, validated on load."""

from __future__ import annotations

import re
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from hamstride.evidence import NO_TRIAL, SOURCES
from hamstride.vocabulary import (
    Contraction,
    Emphasis,
    Equipment,
    HamstringLoad,
    Level,
    Muscle,
    Pattern,
    Tag,
)

ExerciseId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=600, strip_whitespace=True)]
TEMPO_RE = re.compile(r"^([0-9x])-([0-9x])-([0-9x])$")
Tempo = Annotated[str, StringConstraints(pattern=TEMPO_RE.pattern)]
RM_LOWEST, RM_HIGHEST = 4, 10  # heavy lifts: 3x4-10RM (Ronnestad)
SLOW_LOWERING_S = 3  # a lowering this slow makes a set eccentric work (product choice)


def tempo_phases(tempo: str) -> tuple[int | None, int | None, int | None]:
    """The one parser of a "down-pause-up" tempo: seconds of each phase, None for ``x``
    (explosive)."""
    down, pause, up = (None if part == "x" else int(part) for part in tempo.split("-"))
    return down, pause, up


def tempo_seconds(tempo: str) -> tuple[int, int, int]:
    """Seconds (down, pause, up) of a tempo; ``x`` (explosive) counts 1."""
    down, pause, up = (1 if p is None else p for p in tempo_phases(tempo))
    return down, pause, up


def slow_lowering(tempo: str | None) -> bool:
    return tempo is not None and tempo_seconds(tempo)[0] >= SLOW_LOWERING_S


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Muscles(_Strict):
    primary: list[Muscle] = Field(min_length=1)
    secondary: list[Muscle] = []


class Dose(_Strict):
    """The default prescription; the planner scales it by level and week."""

    sets: int = Field(ge=1, le=6)
    reps: int | None = Field(default=None, ge=1, le=50)
    reps_max: int | None = Field(default=None, ge=1, le=50)
    hold_s: int | None = Field(default=None, ge=5, le=600)
    per_side: bool = False
    tempo: Tempo | None = None
    rest_s: int = Field(ge=0, le=300)
    # a heavy lift: each set at a repetition-maximum load (``reps_max`` down to ``reps``
    # RM, Ronnestad's 4-10RM), progressed by load at low reps, not by adding reps
    rm: bool = False

    @model_validator(mode="after")
    def _reps_or_hold(self) -> Self:
        if (self.reps is None) == (self.hold_s is None):
            raise ValueError("a dose has either reps or hold_s, not both or neither")
        if self.rm and not (self.reps is not None and self.reps_max is not None
                            and RM_LOWEST <= self.reps <= self.reps_max <= RM_HIGHEST):
            raise ValueError(f"an rm dose runs between {RM_LOWEST} and {RM_HIGHEST} reps "
                             "(reps and reps_max; Ronnestad)")
        if self.reps_max is not None and (self.reps is None or self.reps_max < self.reps):
            raise ValueError("reps_max needs reps and must be at least reps")
        return self


class Evidence(_Strict):
    """Sources are author-year keys of ../shared/EVIDENCE.md, or none with 'no trial found'."""

    sources: list[str] = []
    summary: Text

    @model_validator(mode="after")
    def _known_sources(self) -> Self:
        unknown = [s for s in self.sources if s not in SOURCES]
        if unknown:
            raise ValueError(f"unknown evidence source(s) {unknown}: cite EVIDENCE.md only")
        if not self.sources and not self.summary.lower().startswith(NO_TRIAL):
            raise ValueError(f"without sources the summary must start with '{NO_TRIAL}'")
        return self


class ArticleNote(_Strict):
    """For the source article's five exercises: what it claimed, and the better choice."""

    claimed: Text
    really: Text
    alternative: ExerciseId


class HouseholdSubstitute(_Strict):
    """A household stand-in for a piece of required equipment (a towel for a slider):
    the exercise is prescribed without it and the item says what to use."""

    equipment: Equipment
    use: Text


class Exercise(_Strict):
    id: ExerciseId
    name: Text
    aliases: list[Text] = []
    pattern: Pattern
    muscles: Muscles
    hamstring_emphasis: Emphasis
    contraction: Contraction
    equipment: list[Equipment] = []
    optional_equipment: list[Equipment] = []
    household: list[HouseholdSubstitute] = []
    hamstring_load: HamstringLoad = HamstringLoad.NONE
    level: Level
    dose: Dose
    instructions: list[Text] = Field(min_length=2)
    cues: list[Text] = Field(min_length=1)
    common_faults: list[Text] = Field(min_length=1)
    regressions: list[ExerciseId] = []
    progressions: list[ExerciseId] = []
    evidence: Evidence
    tags: list[Tag] = []
    article: ArticleNote | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        trains_hamstrings = Muscle.HAMSTRINGS in self.muscles.primary
        if (self.hamstring_emphasis is not Emphasis.NONE) != trains_hamstrings:
            raise ValueError(
                "hamstring_emphasis must be hip or knee exactly when hamstrings are a "
                "primary muscle"
            )
        if (Tag.ARTICLE in self.tags) != (self.article is not None):
            raise ValueError("the 'article' tag and the article note go together")
        if set(self.equipment) & set(self.optional_equipment):
            raise ValueError("an item is either required equipment or a load option")
        if not {h.equipment for h in self.household} <= set(self.equipment):
            raise ValueError("household substitutes stand in for required equipment only")
        self._consistent_load(trains_hamstrings)
        return self

    def _consistent_load(self, trains_hamstrings: bool) -> None:
        """Every hamstring exercise says how hard it loads them; eccentric work is heavy
        (rule 8 keeps it out of a healing strain) except the low-load L-protocol."""
        if (self.hamstring_load is not HamstringLoad.NONE) != trains_hamstrings:
            raise ValueError("hamstring_load must be low or high exactly when hamstrings "
                             "are a primary muscle")
        if self.is_l_protocol and self.hamstring_load is not HamstringLoad.LOW:
            raise ValueError("the Askling L-protocol is low-load: hamstring_load low")
        if (self.contraction is Contraction.ECCENTRIC and not self.is_l_protocol
                and self.hamstring_load is not HamstringLoad.HIGH):
            raise ValueError("eccentric hamstring work is heavy: hamstring_load high")

    @property
    def needed_equipment(self) -> frozenset[Equipment]:
        """Required equipment no household substitute stands in for."""
        return frozenset(self.equipment) - {h.equipment for h in self.household}

    def usable_with(self, owned: frozenset[Equipment] | set[Equipment]) -> bool:
        return self.needed_equipment <= owned

    def substitutes_for(self, owned: frozenset[Equipment]) -> list[HouseholdSubstitute]:
        """The household stand-ins a runner owning ``owned`` uses."""
        return [h for h in self.household if h.equipment not in owned]

    @property
    def is_l_protocol(self) -> bool:
        return Tag.L_PROTOCOL in self.tags

    @property
    def is_plyometric(self) -> bool:
        """Jumps, hops and bounds, counted in ground contacts (rule 15)."""
        return self.pattern is Pattern.PLYOMETRIC

    @property
    def is_warm_up(self) -> bool:
        return self.pattern is Pattern.WARM_UP

    @property
    def is_hamstring_work(self) -> bool:
        """Counts as hamstring work; the article's mislabelled five never do (rule 6)."""
        return self.hamstring_emphasis is not Emphasis.NONE and Tag.ARTICLE not in self.tags

    @property
    def is_heavy_hamstring(self) -> bool:
        """High-load or eccentric-biased hamstring work, by the catalogue's
        ``hamstring_load``: what the protected weeks after a strain leave out (rule 8)."""
        return self.hamstring_load is HamstringLoad.HIGH

    @property
    def is_heavy_lift(self) -> bool:
        """Prescribed by repetition maximum and progressed by load (rule 13)."""
        return self.dose.rm

    @property
    def is_heavy_eccentric(self) -> bool:
        """NHE and other eccentric-emphasis hamstring work; the L-protocol is exempt."""
        return (
            self.contraction is Contraction.ECCENTRIC
            and Muscle.HAMSTRINGS in self.muscles.primary
            and not self.is_l_protocol
        )
