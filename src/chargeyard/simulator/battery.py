"""The electric vehicle at the other end of the cable: its battery and on-board charger.

The station decides how much power it offers; the vehicle decides how much of it it
takes. Lithium-ion packs accept full power up to a knee (80 % state of charge by default)
and then taper linearly towards nothing at 100 %, which is why real sessions end in a
long, slow tail that smart charging and billing must cope with. Like a real battery
management system, the car keeps a small trickle at the very top so it does reach full
and stops, instead of approaching 100 % forever.
"""

from __future__ import annotations

from dataclasses import dataclass

# Energy is integrated in steps this long, so the taper is followed closely even when
# the station meters only once a minute or a test jumps an hour ahead.
_STEP_S = 10.0
# The trickle at the top of the taper, as a share of the car's maximum power.
_TRICKLE = 0.05


@dataclass(frozen=True)
class Vehicle:
    """A vehicle model: how big its pack is and how fast its on-board charger takes AC."""

    name: str
    capacity_wh: int
    max_power_w: float
    phases: int = 3
    taper_from_soc: float = 0.8


SMALL_EV = Vehicle("small, single-phase 7.4 kW", capacity_wh=40_000, max_power_w=7_400, phases=1)
MID_SIZE_EV = Vehicle("mid-size, three-phase 11 kW", capacity_wh=58_000, max_power_w=11_000)
LONG_RANGE_EV = Vehicle("long-range, three-phase 11 kW", capacity_wh=77_000, max_power_w=11_000)
FAST_AC_EV = Vehicle("three-phase 22 kW", capacity_wh=52_000, max_power_w=22_000)
VEHICLES = (SMALL_EV, MID_SIZE_EV, LONG_RANGE_EV, FAST_AC_EV)


class EVBattery:
    """The state of charge of one vehicle during one session."""

    def __init__(self, vehicle: Vehicle, soc: float, *, discharges: bool = True) -> None:
        if not 0.0 <= soc <= 1.0:
            raise ValueError(f"state of charge must be within 0..1, got {soc}")
        self.vehicle = vehicle
        self.soc = soc
        self.discharges = discharges
        """False: a vehicle that ignores a discharge it is asked for (it draws nothing then),
        as a car without bidirectional support, or one whose owner forbids it, does."""

    @property
    def full(self) -> bool:
        return self.soc >= 1.0

    def acceptance_w(self) -> float:
        """The most power the vehicle takes right now: flat, then a linear taper to full."""
        knee, max_w = self.vehicle.taper_from_soc, self.vehicle.max_power_w
        if self.soc >= 1.0:
            return 0.0
        if self.soc <= knee:
            return max_w
        return max(_TRICKLE * max_w, max_w * (1.0 - self.soc) / (1.0 - knee))

    def draw_w(self, offered_w: float) -> float:
        """The power the vehicle draws when the station offers `offered_w`; negative (the
        station asks it to discharge, V2G): what it gives back, at most its charger's maximum
        and nothing once empty."""
        if offered_w < 0:
            if not self.discharges or self.soc <= 0.0:
                return 0.0
            return max(offered_w, -self.vehicle.max_power_w)
        return max(0.0, min(offered_w, self.acceptance_w()))

    def charge(self, offered_w: float, seconds: float) -> float:
        """Charge for `seconds` under an offer of `offered_w`; return the Wh taken (negative:
        given back, when the offer is a discharge)."""
        capacity = self.vehicle.capacity_wh
        taken_wh = 0.0
        remaining = seconds
        while remaining > 0:
            step = min(remaining, _STEP_S)
            power = self.draw_w(offered_w)
            if power == 0:
                break
            energy = power * step / 3600.0
            energy = min(energy, (1.0 - self.soc) * capacity) if energy > 0 else energy
            energy = max(energy, -self.soc * capacity)
            self.soc = min(1.0, max(0.0, self.soc + energy / capacity))
            taken_wh += energy
            remaining -= step
        return taken_wh
