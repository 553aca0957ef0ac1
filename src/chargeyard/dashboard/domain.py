"""What the dashboard works out without I/O: where to draw locations, which commands a page
offers, how a meter series is shaped for the plot, how circuits add up."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

# The remote operations the station page offers (the REST API's command names).
PAGE_COMMANDS = (
    "install-certificate",
    "delete-certificate",
    "get-installed-certificate-ids",
    "remote-start",
    "remote-stop",
    "reset",
    "unlock-connector",
    "change-availability",
    "trigger-message",
    "update-firmware",
    "reserve-now",
    "cancel-reservation",
)

# What the station page offers to trigger (every version knows these).
TRIGGERS = ("StatusNotification", "Heartbeat", "MeterValues", "BootNotification")

POWER = "Power.Active.Import"
ENERGY = "Energy.Active.Import.Register"


@dataclass(frozen=True)
class MapPoint:
    """A location drawn on a plain background: x and y in percent of the drawing."""

    name: str
    x: float
    y: float
    stations: int


def map_points(located: Iterable[tuple[str, Decimal, Decimal, int]]) -> list[MapPoint]:
    """Scale (name, latitude, longitude, stations) into the drawing, north up, with a margin
    (and room on the right for the names); a single location (or all at one spot) sits in the
    middle."""
    rows = list(located)
    if not rows:
        return []
    lats = [float(lat) for _, lat, _, _ in rows]
    lons = [float(lon) for _, _, lon, _ in rows]
    lat_span = max(lats) - min(lats) or 1.0
    lon_span = max(lons) - min(lons) or 1.0
    points = []
    for name, lat, lon, stations in rows:
        x = 40.0 if max(lons) == min(lons) else 5 + 70 * (float(lon) - min(lons)) / lon_span
        y = 50.0 if max(lats) == min(lats) else 8 + 84 * (max(lats) - float(lat)) / lat_span
        points.append(MapPoint(name, round(x, 2), round(y, 2), stations))
    return points


@dataclass(frozen=True)
class Reading:
    timestamp: datetime
    measurand: str
    value: float
    unit: str | None


def series(readings: Sequence[Reading], meter_start_wh: int) -> dict[str, list[float | None]]:
    """Power (kW) and the session's energy (kWh: the register less its value at the start)
    over time, aligned on one time axis (seconds since the epoch) as uPlot expects: a reading of
    one measurand leaves the other's slot empty."""
    times: list[float | None] = []
    power: list[float | None] = []
    energy: list[float | None] = []
    for reading in readings:
        if reading.measurand not in (POWER, ENERGY):
            continue
        kilo = (
            reading.value if (reading.unit or "").lower().startswith("k") else reading.value / 1000
        )
        stamp = reading.timestamp.timestamp()
        if times and times[-1] == stamp:
            slot = len(times) - 1
        else:
            times.append(stamp)
            power.append(None)
            energy.append(None)
            slot = len(times) - 1
        if reading.measurand == POWER:
            power[slot] = round(kilo, 3)
        else:
            energy[slot] = round(kilo - meter_start_wh / 1000, 3)
    return {"time": times, "power_kw": power, "energy_kwh": energy}


@dataclass(frozen=True)
class CircuitFigures:
    """A circuit's stations, active sessions and their power, itself and everything below."""

    stations: int = 0
    sessions: int = 0
    power_w: float = 0.0

    def __add__(self, other: "CircuitFigures") -> "CircuitFigures":
        return CircuitFigures(
            self.stations + other.stations,
            self.sessions + other.sessions,
            self.power_w + other.power_w,
        )


def roll_up(
    parents: Mapping[str, str | None], direct: Mapping[str, CircuitFigures]
) -> dict[str, CircuitFigures]:
    """Each circuit's own figures plus those of every circuit below it (a circuit's load is
    its sub-circuits' too). A broken tree (a cycle) adds each circuit at most once."""
    total = {circuit_id: CircuitFigures() for circuit_id in parents}
    for circuit_id, figures in direct.items():
        seen: set[str] = set()
        current: str | None = circuit_id
        while current is not None and current in total and current not in seen:
            seen.add(current)
            total[current] += figures
            current = parents[current]
    return total


@dataclass(frozen=True)
class ConfigurationKey:
    """A 1.6 configuration key as the station last reported it (GetConfiguration), and when."""

    key: str
    value: str | None
    readonly: bool
    reported_at: datetime


def reported_configuration(
    answers: Iterable[tuple[datetime, Mapping[str, object] | None]],
) -> list[ConfigurationKey]:
    """The keys the station's GetConfiguration answers (`(answered at, response)`, oldest
    first) said, each as the latest answer naming it said it, by key. A read of some keys
    updates those and leaves the others as the last full read had them."""
    keys: dict[str, ConfigurationKey] = {}
    for at, response in answers:
        listed = (response or {}).get("configuration_key") or []
        for item in listed if isinstance(listed, list) else []:
            if isinstance(item, dict) and isinstance(item.get("key"), str):
                value = item.get("value")
                keys[item["key"]] = ConfigurationKey(
                    item["key"],
                    None if value is None else str(value),
                    bool(item.get("readonly")),
                    at,
                )
    return sorted(keys.values(), key=lambda k: k.key.casefold())
