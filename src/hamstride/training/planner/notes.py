"""The sentences that explain each rule where it shapes a session, with their sources
(../shared/EVIDENCE.md). Kept together so the wording stays consistent."""

from __future__ import annotations

from datetime import date

from hamstride.catalogue import Catalogue
from hamstride.evidence import FOOTBALL_CAVEAT
from hamstride.training.profile import Hold, Race, Strain
from hamstride.training.rules import nordic
from hamstride.vocabulary import Equipment, RunType

PAIN_MONITORING = (
    "Pain rule after your strain: hamstring work, the L-protocol included, only as far as "
    "it is pain-free, during it and the next morning (Askling 2013); any pain in the strained "
    "muscle steps that exercise back. The 4-5/10 allowance of the pain-monitoring model "
    "(Silbernagel 2007) is tendon evidence, not for an acute muscle strain."
)
L_PROTOCOL = (
    "Askling L-protocol: extender 3x12 twice daily, diver 3x6 every other day, glider 3x4 "
    "every third day, each only as far as is pain-free (Askling 2013, Askling 2014)."
)
SECOND_BOUT = "Second daily extender bout of the L-protocol (Askling 2013)."
HIP_WORK = "Hip-dominant hamstring work: biases the biceps femoris long head (Bourne 2017)."
QUAD_WORK = "Quadriceps strength supports running economy (Blagrove 2018)."
CALF_WORK = "Calf strength supports running economy (Blagrove 2018)."
PLYOMETRICS = ("Plyometrics fresh, straight after the warm-up, on a firm flat surface: quick, "
               "springy contacts; end a set when they slow or get loud. Jumps added to "
               "running improved economy in 6 weeks (Spurrs 2003, Turner 2003).")
NO_ANCHOR = (
    "No Nordic anchor: {name} is the knee-dominant work instead (Bourne 2017); it has no "
    "injury trial. A partner, a strap or a loaded bar to hold your heels would unlock the "
    "Nordic programme (van Dyk 2019: injuries roughly halved)."
)
NORDIC_HELD = ("Nordics are held by your coach or physiotherapist: {name} is the "
               "knee-dominant work instead (Bourne 2017).")
KNEE_ALTERNATIVE = "Knee-dominant work without Nordics today (Bourne 2017): {why}."
LOW_LOAD_KNEE = "Low-load isometric knee-flexor work while the strain heals (Askling 2013)."


def caveats() -> list[str]:
    return [FOOTBALL_CAVEAT + " hamstride says so where it matters."]


def nordic_note(index: int) -> str:
    table_row = nordic.row(index)
    if index > nordic.PROGRAMME_WEEKS:
        head = f"Nordic maintenance, {table_row.label} once a week (Mjølsnes 2004; Presland 2018)."
    else:
        head = f"Nordic table week {index} of {nordic.PROGRAMME_WEEKS}: {table_row.label} " \
               "(Mjølsnes 2004; van Dyk 2019)."
    return head + " Only after the warm-up; 1 min rest between sets is enough (J Athl Train 2021)."


TAPER_NO_NORDICS = "no Nordics in the taper before an A race (Berryman 2020)"
STRAIN_NO_NORDICS = "no Nordics in the first 2 weeks after your strain (Askling 2013)"
CRITERIA_NO_NORDICS = ("no Nordics until the return criteria are met: a pain-free "
                       "L-protocol and self-check, the injured side at 70% of the other "
                       "(Askling 2013; Lorenz & Domzalski 2020)")
SPACING = "48 h have not passed since the last Nordic session (Behan 2023)"


def table_full(sessions: int) -> str:
    plural = "session" if sessions == 1 else "sessions"
    return f"the Nordic table sets {sessions} {plural} this week (Mjølsnes 2004)"


def key_run_tomorrow(run: RunType) -> str:
    return f"a key run ({run}) is tomorrow (Doma & Deakin 2013)"


def run_first(run: RunType) -> str:
    return f"Key run today ({run}): run first, strength after (Doma & Deakin 2013)."


def keep_easy(instead: str) -> str:
    return f"Return stage: {instead} (Lorenz & Domzalski 2020)."


def day_before_key(run: RunType) -> str:
    return (f"Tomorrow is a key run ({run}): no eccentric hamstring work today "
            "(Doma & Deakin 2013).")


def heavy_lift(rm: int) -> str:
    """The load of a heavy lift, prescribed by repetition maximum (rule 13)."""
    return (f"Load: your {rm}RM, the most you can lift {rm} times with good form; the reps "
            "fall and the load rises as the weeks go (Ronnestad).")


def heavy_lift_kept(rm: int) -> str:
    """A heavy lift outside a build: the load it reached is kept (Ronnestad 2010)."""
    return (f"Load: your {rm}RM, the most you can lift {rm} times with good form; keep "
            "the load the build reached: strength is kept, not built, now (Ronnestad 2010).")


DELOAD = ("Deload week: half the sets at the same loads, so the last 3 weeks of build can "
          "settle in (a product choice: every 4th week of a build).")
IN_SEASON = ("In season, a race every 2 weeks: short sessions at the same loads keep your "
             "strength without tiring your legs for the races (Ronnestad 2010).")


CONTROLLED_LOWERING = ("Lower in 2 s today, not slower: slow lowering is eccentric work and a "
                       "key run is tomorrow.")
SLOW_THE_LOWERING = "slow the lowering down"


def early_nordic_guard(key_day: date) -> str:
    return (f"no Nordics in the 2 days before a key run ({key_day}) in the first Nordic weeks, "
            "while soreness peaks (Behan 2023)")


def taper(race: Race) -> str:
    return (f"Taper for {race.name} ({race.date}): lower volume, no strength in the last 2 "
            "days (Berryman 2020).")


def fitted(minutes: int, paired: bool, trimmed: bool, dropped: list[str]) -> str:
    parts = []
    if paired:
        parts.append("the accessory pair is a superset (rest once per round)")
    if trimmed:
        parts.append("some sets are trimmed")
    if dropped:
        parts.append("left out: " + ", ".join(dropped) + " (covered elsewhere)")
    return f"To fit your {minutes} min, " + "; ".join(parts) + "."


def recent_strain(strain: Strain) -> str:
    return (f"Hamstring strain ({strain.side}) on {strain.date}: weeks 1-2 follow the "
            "Askling L-protocol with no heavy hamstring loading; after them the Nordic table "
            "starts from week 1 once the return criteria are met, not by the calendar "
            "(Askling 2013; Petersen 2011: recurrences RR 0.14).")


def old_strain(strain: Strain) -> str:
    return (f"Previous hamstring strain ({strain.date}): the strongest risk factor for another "
            "(Green 2020), so eccentric hamstring work has priority.")


def no_nordic_days(days: list[str]) -> str:
    """Why no Nordics were planned, and which weekdays would allow them from the first
    table week (no key run that day's next 2 days)."""
    head = ("Your strength days leave no day for Nordics that is not the day before a key "
            "run (or two days before, in the first weeks): knee-dominant alternatives stand "
            "in (Doma & Deakin 2013; Behan 2023).")
    if days:
        return head + f" A strength session on {' or '.join(days)} would allow them."
    return head + (" Your running week has no such day: an easy run instead of one key run "
                   "would make one.")


def no_plyometric_days(weeks: int, days: list[str], *, among_yours: bool) -> str:
    if not days:
        where = "your running week has no such day"
    elif among_yours:
        where = f"a strength session on {' or '.join(days)} would allow them"
    else:
        where = f"adding {' or '.join(days)} to your strength days would allow them"
    return (f"Plyometrics (pogo jumps, hops, bounds; Spurrs 2003) left out of {weeks} build "
            f"week(s): they need fresh legs, a strength day with no hard run that day or the "
            f"next, and the session's minutes; {where}.")


NOVICE_START = ("Novice start: 2 sets an item for the first 4 weeks; low volumes build strength "
                "as well as high ones (Presland 2018; Lacome 2020).")


def race_rule(race: Race) -> str:
    days = "the 2 days before" if race.priority.value == "A" else "the day before"
    return (f"{race.name} ({race.priority} race, {race.date}): no strength on race day or "
            f"{days} (Berryman 2020).")


LOADS = frozenset({Equipment.DUMBBELLS, Equipment.KETTLEBELL, Equipment.BARBELL,
                   Equipment.LEG_CURL_MACHINE, Equipment.LEG_PRESS_MACHINE,
                   Equipment.HIP_EXTENSION_BENCH, Equipment.RESISTANCE_BAND})


def top_of_range(uses: list[Equipment], reps: int, next_step: str | None) -> str:
    """Double progression: at the top of the rep range, add load or take the next step."""
    how = "add load" if LOADS.intersection(uses) else SLOW_THE_LOWERING
    if next_step is not None:
        how += f" or move on to the {next_step.lower()}"
    return f"Top of its range: {how} once every set reaches {reps} reps with good form."


def from_log(reason: str, add_load: bool) -> str:
    text = f"From your log: {reason}."
    return text + " Use a heavier load than last time." if add_load else text


def no_heavy_in(window: str) -> str:
    return f"no heavy eccentric work or barbell lifts in {window} (Berryman 2020)"


def nothing_new_before(race: Race) -> str:
    return (f"nothing heavy is started within 3 weeks of {race.name} ({race.date}): a first "
            "Nordic bout brings days of soreness (Behan 2023); it starts after the race")


def recovery(race: Race, days: int) -> str:
    return (f"Recovery after {race.name} ({race.date}, {days} days): half the sets, no heavy "
            "eccentric work or barbell lifts (Berryman 2020; hamstride's recovery block).")


PAIN_NO_NORDICS = ("no Nordics while pain after hamstring work has not settled "
                   "(Silbernagel 2007)")
PAIN_LOW_LOAD = ("Low-load isometric knee-flexor work while the pain settles "
                 "(Silbernagel 2007).")


def held(holds: list[Hold], catalogue: Catalogue) -> str:
    """Who held what, and why: the runner sees it on every plan."""
    parts = []
    for hold in holds:
        exercise = catalogue.get(hold.exercise)
        name = exercise.name if exercise is not None else hold.exercise
        who = f" by {hold.by}" if hold.by else ""
        why = f": {hold.reason}" if hold.reason else ""
        parts.append(f"{name} (held{who}{why})")
    return ("Left out of this plan until cleared: " + "; ".join(parts) + ". The plan fills "
            "the same roles with other exercises.")
