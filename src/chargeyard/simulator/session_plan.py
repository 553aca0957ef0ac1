"""What a driver will do during one charging session, decided before it starts.

A plan is the human side of a session (which car, how empty, how long it stays, how
quickly the driver taps the card); the station and the vehicle model decide the rest.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from chargeyard.simulator.battery import MID_SIZE_EV, VEHICLES, Vehicle
from chargeyard.simulator.charging_profile import ChargingProfile
from chargeyard.simulator.connector import StopReason


@dataclass(frozen=True)
class SessionPlan:
    connector_id: int
    id_tag: str
    vehicle: Vehicle = MID_SIZE_EV
    arrival_soc: float = 0.3
    # Seconds the car stays after the transaction started; inf = until stopped remotely.
    stay_s: float = 3600.0
    # Seconds from plugging in to the card tap, and from the stop to unplugging.
    tap_after_s: float = 10.0
    unplug_after_s: float = 20.0
    authorize: bool = True
    stop_reason: StopReason = StopReason.LOCAL
    tx_profile: ChargingProfile | None = None

    @classmethod
    def until_stopped(
        cls, connector_id: int, id_tag: str, vehicle: Vehicle, *, authorize: bool
    ) -> SessionPlan:
        """A session started remotely: it runs until the CSMS (or a reset) ends it."""
        return cls(
            connector_id, id_tag, vehicle, stay_s=math.inf, tap_after_s=0.0, authorize=authorize
        )


def random_plan(
    rng: random.Random,
    connector_id: int,
    id_tag: str,
    *,
    stay_s: tuple[float, float],
) -> SessionPlan:
    """A plausible session: a common car, 10-60 % full, staying within `stay_s`."""
    low, high = stay_s
    return SessionPlan(
        connector_id=connector_id,
        id_tag=id_tag,
        vehicle=rng.choice(VEHICLES),
        arrival_soc=round(rng.uniform(0.1, 0.6), 3),
        stay_s=rng.uniform(low, high),
        tap_after_s=min(low / 10, rng.uniform(2.0, 20.0)),
        unplug_after_s=min(low / 10, rng.uniform(5.0, 60.0)),
        stop_reason=rng.choice((StopReason.LOCAL, StopReason.EV_DISCONNECTED)),
    )
