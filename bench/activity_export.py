"""A generated activity export for bench/import_bench.py: FIT, GPX and TCX files (some
gzipped) and a Strava-export-like folder whose activities.csv rows point at files.

Each activity is a 30-90 minute outing sampled once a second: a run (nine in ten) or a
ride, at a steady pace or as intervals, with a pause at a crossing now and then, heart
rate that follows the effort, altitude that wanders over hills, a GPS track, and an
auto-lap every kilometre (every 5 km on a ride). The FIT file keeps every second, as
watches do; GPX and TCX files keep one point every 1-5 s. Everything comes from one
seeded RNG, so an export of N activities with seed S is the same on every run.

Layout under the root (what ``hamstride runs import ROOT`` walks)::

    watch/<year>/<date>-<time>.fit|.gpx|.tcx[.gz]     files copied off devices
    strava/activities.csv                             one row per activity in strava/
    strava/activities/<id>.fit.gz|.gpx|.tcx.gz        the files the rows name

One Strava row in 50 names no file (an activity entered by hand on the website).

The FIT files are written with ``struct`` (not fit-tool, which would take minutes for a
few million records): a 14-byte header, one definition per message type, little-endian
data messages and the FIT CRC-16 over the whole file.
"""

from __future__ import annotations

import gzip
import math
import random
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

FIRST_START = datetime(2012, 1, 1, 6, 0, tzinfo=UTC)
LAST_START = datetime(2025, 6, 1, tzinfo=UTC)  # every start safely in the past
MIN_SPACING = timedelta(hours=3)  # outings last at most 90 minutes: never one activity twice
FORMAT_SHARES = (("fit", 0.4), ("gpx", 0.3), ("tcx", 0.3))
GZIP_SHARE = 0.25         # of the loose files; a Strava export gzips its FIT and TCX files
STRAVA_SHARE = 0.3        # of the activities, listed in the Strava export
MANUAL_ROW_EVERY = 50     # about one Strava row in 50 names no file
FIT_EPOCH_S = 631065600   # 1989-12-31T00:00:00Z in Unix seconds
SEMICIRCLES = 2**31 / 180.0
METRES_PER_DEGREE = 111_320.0


# -- the outing, second by second ------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Point:
    t: int            # seconds since the start
    lat: float
    lon: float
    altitude_m: float
    distance_m: float
    speed_ms: float
    hr: int
    cadence: int


@dataclass(frozen=True, slots=True)
class LapSpan:
    first: int        # index of the lap's first point
    last: int         # index of its last point (inclusive)


@dataclass(frozen=True)
class Outing:
    number: int
    running: bool
    start: datetime
    name: str
    points: list[Point] = field(repr=False)
    laps: list[LapSpan] = field(repr=False)

    @property
    def seconds(self) -> int:
        return self.points[-1].t

    @property
    def distance_m(self) -> float:
        return self.points[-1].distance_m

    @property
    def moving_s(self) -> int:
        return sum(1 for p in self.points[1:] if p.speed_ms > 0.5)

    def ascent_m(self, first: int = 0, last: int = -1) -> float:
        altitudes = [p.altitude_m for p in self.points[first:last % len(self.points) + 1]]
        return sum(max(0.0, b - a) for a, b in pairwise(altitudes))

    def heart_rates(self, first: int = 0, last: int = -1) -> tuple[int, int]:
        rates = [p.hr for p in self.points[first:last % len(self.points) + 1]]
        return round(sum(rates) / len(rates)), max(rates)


def outing(rng: random.Random, number: int, start: datetime) -> Outing:
    running = rng.random() < 0.9
    seconds = rng.randint(30 * 60, 90 * 60)
    base = rng.uniform(2.6, 3.9) if running else rng.uniform(6.0, 8.5)
    intervals = running and rng.random() < 0.25
    pause_at = rng.randint(300, seconds - 300) if rng.random() < 0.3 else seconds + 1
    points = _points(rng, seconds, base, intervals, pause_at, rng.randint(135, 150))
    kind = "Intervals" if intervals else ("Morning" if start.hour < 12 else "Evening")
    name = f"{kind} {'Run' if running else 'Ride'}"
    return Outing(number, running, start, name, points,
                  _laps(points, 1000.0 if running else 5000.0))


def _points(rng: random.Random, seconds: int, base: float, intervals: bool, pause_at: int,
            easy_hr: int) -> list[Point]:
    """One point a second: a pace that drifts by up to 15% with a few percent of noise
    (3-minute efforts on interval days), a 45 s stop at ``pause_at``, heading and slope
    that drift, heart rate that lags the effort. Noise is uniform (``noise(k)`` is in
    -k..k): cheaper than Gaussian draws, and as good for a bench."""
    lat, lon = rng.uniform(45.0, 55.0), rng.uniform(-3.0, 12.0)
    heading, altitude = rng.uniform(0, 2 * math.pi), rng.uniform(20, 600)
    distance, hr, slope, drift = 0.0, 90.0, 0.0, 1.0
    draw = rng.random

    def noise(k: float) -> float:
        return (draw() - 0.5) * 2 * k

    points = []
    for t in range(seconds + 1):
        effort = 1.3 if intervals and t > 600 and (t // 60) % 5 < 3 else 1.0
        drift = min(1.15, max(0.85, drift + noise(0.008)))
        paused = pause_at <= t < pause_at + 45
        speed = 0.0 if paused or t == 0 else base * effort * drift * (1 + noise(0.05))
        if t % 120 == 0:
            slope = noise(0.04)
        heading += noise(0.08)
        lat += speed * math.cos(heading) / METRES_PER_DEGREE
        lon += speed * math.sin(heading) / (METRES_PER_DEGREE * math.cos(math.radians(lat)))
        altitude = max(0.0, altitude + slope * speed + noise(0.25))
        distance += speed
        hr += ((easy_hr + (25 if effort > 1 else 0) if speed else 100) - hr) * 0.04
        cadence = 78 + round(4 * effort) + int(draw() * 5) if speed else 0
        points.append(Point(t, lat, lon, altitude, distance, speed, round(hr), cadence))
    return points


def _laps(points: Sequence[Point], lap_m: float) -> list[LapSpan]:
    laps, first, mark = [], 0, lap_m
    for index, point in enumerate(points):
        if point.distance_m >= mark:
            laps.append(LapSpan(first, index))
            first, mark = index, mark + lap_m
    if first < len(points) - 1:
        laps.append(LapSpan(first, len(points) - 1))
    return laps


def _iso(moment: datetime, millis: bool = False) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z" if millis else "%Y-%m-%dT%H:%M:%SZ")


# -- FIT --------------------------------------------------------------------------------

def _crc_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return table


CRC_TABLE = _crc_table()


def fit_crc(data: bytes, crc: int = 0) -> int:
    """The FIT CRC-16 (CRC-16/ARC: reflected polynomial 0xA001, initial value 0)."""
    table = CRC_TABLE
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


@dataclass(frozen=True)
class _Message:
    """One FIT message type: local type, global number, (field, size, base type, code)."""

    local: int
    number: int
    fields: tuple[tuple[int, int, int, str], ...]

    def definition(self) -> bytes:
        head = struct.pack("<BBBHB", 0x40 | self.local, 0, 0, self.number, len(self.fields))
        return head + b"".join(struct.pack("<BBB", n, size, base)
                               for n, size, base, _ in self.fields)

    def packer(self) -> struct.Struct:
        return struct.Struct("<B" + "".join(code for *_, code in self.fields))


U8, U16, U32, S32, ENUM, U32Z = ((1, 0x02, "B"), (2, 0x84, "H"), (4, 0x86, "I"),
                                 (4, 0x85, "i"), (1, 0x00, "B"), (4, 0x8C, "I"))
# field numbers from the FIT profile: file_id, event, record, lap, session, activity
FILE_ID = _Message(0, 0, ((0, *ENUM), (1, *U16), (2, *U16), (3, *U32Z), (4, *U32)))
EVENT = _Message(1, 21, ((253, *U32), (0, *ENUM), (1, *ENUM)))
RECORD = _Message(2, 20, ((253, *U32), (0, *S32), (1, *S32), (5, *U32), (73, *U32),
                          (78, *U32), (3, *U8), (4, *U8)))
LAP = _Message(3, 19, ((253, *U32), (2, *U32), (7, *U32), (8, *U32), (9, *U32), (15, *U8),
                       (16, *U8), (21, *U16), (254, *U16)))
SESSION = _Message(4, 18, ((253, *U32), (2, *U32), (5, *ENUM), (6, *ENUM), (7, *U32),
                           (8, *U32), (9, *U32), (16, *U8), (17, *U8), (22, *U16),
                           (25, *U16), (26, *U16)))
ACTIVITY = _Message(5, 34, ((253, *U32), (0, *U32), (1, *U16), (2, *ENUM), (5, *U32)))
MESSAGES = (FILE_ID, EVENT, RECORD, LAP, SESSION, ACTIVITY)
PACK = {m.number: m.packer().pack for m in MESSAGES}


def fit_file(o: Outing) -> bytes:
    """A FIT activity file as a Garmin watch writes it: file_id, a start event, a record
    per second, a lap message at each auto-lap, then session and activity."""
    start = round(o.start.timestamp()) - FIT_EPOCH_S
    body = [m.definition() for m in MESSAGES]
    body.append(PACK[0](0, 4, 1, 3121, 3_900_000_000 + o.number, start))
    body.append(PACK[21](1, start, 0, 0))
    record = PACK[20]
    body += [record(2, start + p.t, round(p.lat * SEMICIRCLES), round(p.lon * SEMICIRCLES),
                    round(p.distance_m * 100), round(p.speed_ms * 1000),
                    round((p.altitude_m + 500) * 5), p.hr, p.cadence) for p in o.points]
    for index, lap in enumerate(o.laps):
        first, last = o.points[lap.first], o.points[lap.last]
        millis = (last.t - first.t) * 1000
        avg, top = o.heart_rates(lap.first, lap.last)
        body.append(PACK[19](3, start + last.t, start + first.t, millis, millis,
                             round((last.distance_m - first.distance_m) * 100), avg, top,
                             round(o.ascent_m(lap.first, lap.last)), index))
    end = start + o.seconds
    avg, top = o.heart_rates()
    body.append(PACK[18](4, end, start, 1 if o.running else 2, 0, o.seconds * 1000,
                         o.moving_s * 1000, round(o.distance_m * 100), avg, top,
                         round(o.ascent_m()), 0, len(o.laps)))
    body.append(PACK[34](5, end, o.moving_s * 1000, 1, 0, end + 3600))
    data = b"".join(body)
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(data), b".FIT")
    header += struct.pack("<H", fit_crc(header))
    return header + data + struct.pack("<H", fit_crc(data, fit_crc(header)))


# -- GPX and TCX ---------------------------------------------------------------------------

GPX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gpx creator="Garmin Connect" version="1.1" xmlns="http://www.topografix.com/GPX/1/1" '
    'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
)


def gpx_file(o: Outing, every_s: int) -> bytes:
    """A GPX 1.1 track as Garmin Connect exports it, one point every ``every_s`` seconds,
    with Garmin's TrackPointExtension heart rate and cadence."""
    kind = "running" if o.running else "cycling"
    lines = [GPX_HEAD, f"  <metadata><time>{_iso(o.start)}</time></metadata>\n",
             f"  <trk>\n    <name>{o.name}</name>\n    <type>{kind}</type>\n    <trkseg>\n"]
    lines += [
        f'      <trkpt lat="{p.lat:.7f}" lon="{p.lon:.7f}"><ele>{p.altitude_m:.1f}</ele>'
        f"<time>{_iso(o.start + timedelta(seconds=p.t))}</time><extensions>"
        f"<gpxtpx:TrackPointExtension><gpxtpx:hr>{p.hr}</gpxtpx:hr><gpxtpx:cad>{p.cadence}"
        "</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>\n"
        for p in o.points[::every_s]]
    lines.append("    </trkseg>\n  </trk>\n</gpx>\n")
    return "".join(lines).encode()


TCX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"'
    ' xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">\n  <Activities>\n'
)


def tcx_file(o: Outing, every_s: int) -> bytes:
    """A TCX activity as Garmin Connect exports it: one <Lap> per auto-lap with its
    totals and its own <Track>, one point every ``every_s`` seconds."""
    sport = "Running" if o.running else "Biking"
    lines = [TCX_HEAD, f'    <Activity Sport="{sport}">\n      <Id>{_iso(o.start, True)}</Id>\n']
    for lap in o.laps:
        lines += _tcx_lap(o, lap, every_s)
    lines.append("    </Activity>\n  </Activities>\n</TrainingCenterDatabase>\n")
    return "".join(lines).encode()


def _tcx_lap(o: Outing, lap: LapSpan, every_s: int) -> list[str]:
    first, last = o.points[lap.first], o.points[lap.last]
    avg, top = o.heart_rates(lap.first, lap.last)
    seconds = last.t - first.t
    metres = last.distance_m - first.distance_m
    lines = [
        f'      <Lap StartTime="{_iso(o.start + timedelta(seconds=first.t), True)}">\n'
        f"        <TotalTimeSeconds>{seconds:.1f}</TotalTimeSeconds>\n"
        f"        <DistanceMeters>{metres:.2f}</DistanceMeters>\n"
        f"        <Calories>{seconds // 12}</Calories>\n"
        f"        <AverageHeartRateBpm><Value>{avg}</Value></AverageHeartRateBpm>\n"
        f"        <MaximumHeartRateBpm><Value>{top}</Value></MaximumHeartRateBpm>\n"
        "        <Intensity>Active</Intensity>\n"
        "        <TriggerMethod>Distance</TriggerMethod>\n        <Track>\n"]
    lines += [
        f"          <Trackpoint><Time>{_iso(o.start + timedelta(seconds=p.t), True)}</Time>"
        f"<Position><LatitudeDegrees>{p.lat:.7f}</LatitudeDegrees><LongitudeDegrees>"
        f"{p.lon:.7f}</LongitudeDegrees></Position><AltitudeMeters>{p.altitude_m:.1f}"
        f"</AltitudeMeters><DistanceMeters>{p.distance_m:.2f}</DistanceMeters><HeartRateBpm>"
        f"<Value>{p.hr}</Value></HeartRateBpm><Extensions><ns3:TPX><ns3:Speed>"
        f"{p.speed_ms:.3f}</ns3:Speed><ns3:RunCadence>{p.cadence}</ns3:RunCadence></ns3:TPX>"
        "</Extensions></Trackpoint>\n"
        for p in o.points[lap.first:lap.last + 1:every_s]]
    lines.append("        </Track>\n        <Extensions><ns3:LX><ns3:AvgSpeed>"
                 f"{metres / max(seconds, 1):.3f}</ns3:AvgSpeed></ns3:LX></Extensions>\n"
                 "      </Lap>\n")
    return lines


# -- the Strava export's activities.csv ------------------------------------------------------

# an English export's 94 columns; hamstride reads the first 44 by position
STRAVA_HEADER = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,"
    "Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,"
    "Filename,Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed,"
    "Average Speed,Elevation Gain,Elevation Loss,Elevation Low,Elevation High,Max Grade,"
    "Average Grade,Average Positive Grade,Average Negative Grade,Max Cadence,Average Cadence,"
    "Max Heart Rate,Average Heart Rate,Max Watts,Average Watts,Calories,Max Temperature,"
    "Average Temperature,Relative Effort,Total Work,Number of Runs,Uphill Time,Downhill Time,"
    "Other Time,Perceived Exertion,Type,Start Time,Weighted Average Power,Power Count,"
    "Prefer Perceived Exertion,Perceived Relative Effort,Commute,Total Weight Lifted,"
    "From Upload,Grade Adjusted Distance,Weather Observation Time,Weather Condition,"
    "Weather Temperature,Apparent Temperature,Dewpoint,Humidity,Weather Pressure,Wind Speed,"
    "Wind Gust,Wind Bearing,Precipitation Intensity,Sunrise Time,Sunset Time,Moon Phase,Bike,"
    "Gear,Precipitation Probability,Precipitation Type,Cloud Cover,Weather Visibility,"
    "UV Index,Weather Ozone,Jump Count,Total Grit,Average Flow,Flagged,Average Elapsed Speed,"
    "Dirt Distance,Newly Explored Distance,Newly Explored Dirt Distance,Activity Count,"
    "Total Steps,Carbon Saved,Pool Length,Training Load,Intensity,"
    "Average Grade Adjusted Pace,Timer Time,Total Cycles,Media"
)
STRAVA_COLUMNS = STRAVA_HEADER.count(",") + 1


def strava_row(o: Outing, filename: str, rng: random.Random) -> str:
    """The row Strava writes for the outing (Activity ID and the columns hamstride reads;
    the other cells empty). Perceived exertion is set on one row in five."""
    avg, top = o.heart_rates()
    values = {
        0: str(9_000_000_000 + o.number),
        1: f'"{o.start:%b %d, %Y, %I:%M:%S %p}"',
        2: o.name, 3: "Run" if o.running else "Ride", 5: str(o.seconds),
        6: f"{o.distance_m / 1000:.2f}", 7: str(top), 12: filename, 15: str(o.seconds),
        16: str(o.moving_s), 17: f"{o.distance_m:.1f}", 20: f"{o.ascent_m():.1f}",
        30: str(top), 31: str(avg), 43: str(rng.randint(3, 9)) if rng.random() < 0.2 else "",
    }
    return ",".join(values.get(index, "") for index in range(STRAVA_COLUMNS))


# -- the export ------------------------------------------------------------------------------

@dataclass
class Export:
    root: Path
    activities: int = 0
    files: dict[str, int] = field(default_factory=dict)  # by suffix, e.g. ".fit.gz"
    strava_rows: int = 0
    manual_rows: int = 0
    samples: int = 0      # points written, across every file
    size_bytes: int = 0

    def count(self, suffix: str, data: bytes, samples: int) -> None:
        self.files[suffix] = self.files.get(suffix, 0) + 1
        self.size_bytes += len(data)
        self.samples += samples

    def describe(self) -> str:
        kinds = ", ".join(f"{n} {suffix}" for suffix, n in sorted(self.files.items()))
        return (f"{self.activities} activities: {kinds}, {self.strava_rows} Strava rows "
                f"({self.manual_rows} without a file); {self.samples:,} samples, "
                f"{self.size_bytes / 2**20:.0f} MB on disk")


def write_export(root: Path, count: int, seed: int) -> Export:
    """Write ``count`` activities under ``root`` (the layout in the module docstring)."""
    rng = random.Random(seed)
    export = Export(root, activities=count)
    spacing = max(MIN_SPACING, min(timedelta(days=1), (LAST_START - FIRST_START) / count))
    rows: list[str] = []
    for number in range(count):
        start = FIRST_START + number * spacing + timedelta(minutes=rng.randint(0, 60))
        o = outing(rng, number, start.replace(microsecond=0))
        if rng.random() < STRAVA_SHARE:
            rows.append(_strava_activity(export, o, rng))
        else:
            _watch_file(export, o, rng)
    if rows:
        (root / "strava").mkdir(parents=True, exist_ok=True)
        (root / "strava" / "activities.csv").write_text(
            "\n".join([STRAVA_HEADER, *rows]) + "\n", encoding="utf-8")
        export.strava_rows = len(rows)
    return export


def _encoded(o: Outing, rng: random.Random) -> tuple[str, bytes, int]:
    """The outing in a format drawn by FORMAT_SHARES, and how many points it holds."""
    draw, kind = rng.random(), "fit"
    for name, share in FORMAT_SHARES:
        if draw < share:
            kind = name
            break
        draw -= share
    if kind == "fit":
        return ".fit", fit_file(o), len(o.points)
    every = rng.randint(1, 5)
    samples = len(o.points[::every])
    if kind == "gpx":
        return ".gpx", gpx_file(o, every), samples
    return ".tcx", tcx_file(o, every), samples


def _watch_file(export: Export, o: Outing, rng: random.Random) -> None:
    suffix, data, samples = _encoded(o, rng)
    if rng.random() < GZIP_SHARE:
        suffix, data = suffix + ".gz", gzip.compress(data, compresslevel=6, mtime=0)
    folder = export.root / "watch" / str(o.start.year)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{o.start:%Y-%m-%d-%H%M}{suffix}").write_bytes(data)
    export.count(suffix, data, samples)


def _strava_activity(export: Export, o: Outing, rng: random.Random) -> str:
    """Write the outing's file into the Strava export (none for a manual entry); its row."""
    if o.number % MANUAL_ROW_EVERY == 0:
        export.manual_rows += 1
        return strava_row(o, "", rng)
    suffix, data, samples = _encoded(o, rng)
    if suffix != ".gpx":  # Strava keeps uploaded FIT and TCX files gzipped
        suffix, data = suffix + ".gz", gzip.compress(data, compresslevel=6, mtime=0)
    name = f"activities/{9_000_000_000 + o.number}{suffix}"
    target = export.root / "strava" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    export.count(suffix, data, samples)
    return strava_row(o, name, rng)
