"""Fixed vocabularies shared by the catalogue, the profile and the plan.

They are public API: exercise data files, profiles and plan documents use these
strings, so a value is never renamed, only added.
"""

from __future__ import annotations

from enum import StrEnum


class Equipment(StrEnum):
    WALL = "wall"
    CHAIR = "chair"
    BENCH = "bench"
    STEP = "step"
    BOX = "box"
    STABILITY_BALL = "stability_ball"
    SLIDER = "slider"
    RESISTANCE_BAND = "resistance_band"
    DUMBBELLS = "dumbbells"
    KETTLEBELL = "kettlebell"
    BARBELL = "barbell"
    LEG_CURL_MACHINE = "leg_curl_machine"
    LEG_PRESS_MACHINE = "leg_press_machine"
    HIP_EXTENSION_BENCH = "hip_extension_bench"
    NORDIC_ANCHOR = "nordic_anchor"


class Muscle(StrEnum):
    HAMSTRINGS = "hamstrings"
    GLUTES = "glutes"
    QUADRICEPS = "quadriceps"
    CALVES = "calves"
    HIP_FLEXORS = "hip_flexors"
    ADDUCTORS = "adductors"
    CORE = "core"
    LOWER_BACK = "lower_back"


class Pattern(StrEnum):
    WARM_UP = "warm_up"
    HIP_HINGE = "hip_hinge"
    KNEE_FLEXION = "knee_flexion"
    HIP_EXTENSION = "hip_extension"
    BRIDGE = "bridge"
    LENGTHENING = "lengthening"
    SQUAT = "squat"
    LUNGE = "lunge"
    STEP = "step"
    CALF = "calf"
    HIP_FLEXION = "hip_flexion"
    ISOMETRIC_SQUAT = "isometric_squat"
    CORE = "core"
    MOBILITY = "mobility"
    PLYOMETRIC = "plyometric"  # jumps, hops and bounds: speed-strength (rule 15)


class Emphasis(StrEnum):
    """Which end of the hamstrings an exercise biases (Bourne 2017, 2018)."""

    NONE = "none"
    HIP = "hip"
    KNEE = "knee"


class HamstringLoad(StrEnum):
    """How hard an exercise loads the hamstrings: what a healing strain must avoid."""

    NONE = "none"  # hamstrings are not a primary muscle
    LOW = "low"  # body weight, short lever or isometric: usable while a strain heals
    HIGH = "high"  # external load, long lever or eccentric bias: heavy hamstring loading


class Contraction(StrEnum):
    ECCENTRIC = "eccentric"
    CONCENTRIC = "concentric"
    ISOMETRIC = "isometric"
    MIXED = "mixed"


class Level(StrEnum):
    NOVICE = "novice"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]


_LEVEL_RANK = {Level.NOVICE: 0, Level.INTERMEDIATE: 1, Level.ADVANCED: 2}


class Goal(StrEnum):
    PREVENT_INJURY = "prevent_injury"
    PERFORMANCE = "performance"
    RETURN_FROM_STRAIN = "return_from_strain"


class Day(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @property
    def weekday(self) -> int:
        """0 for Monday, as ``date.weekday()``."""
        return _DAY_INDEX[self]

    @classmethod
    def of(cls, weekday: int) -> Day:
        return _DAYS[weekday]


_DAYS = list(Day)
_DAY_INDEX = {day: i for i, day in enumerate(_DAYS)}


class RunType(StrEnum):
    REST = "rest"
    EASY = "easy"
    INTERVALS = "intervals"
    TEMPO = "tempo"
    HILLS = "hills"
    LONG = "long"
    RACE = "race"

    @property
    def is_key(self) -> bool:
        """Key runs are the hard ones the strength work must not spoil (Doma & Deakin 2013)."""
        return self not in (RunType.REST, RunType.EASY)


class Priority(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class RaceDistance(StrEnum):
    """How long a race is; a marathon or an ultra asks for a longer recovery."""

    TRACK = "track"  # 800 m to 3000 m
    FIVE_K = "5k"
    TEN_K = "10k"
    HALF = "half"
    MARATHON = "marathon"
    ULTRA = "ultra"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"


class Tag(StrEnum):
    """Catalogue tags that rules look at."""

    L_PROTOCOL = "l_protocol"  # Askling L-protocol: low-load lengthening, exempt from limits
    ARTICLE = "article"  # one of the five exercises of the source article
