"""What a planned route asks of the session before it: a departure and a state of charge."""


def route_target_soc(
    *, energy_kwh: float | None, target_soc_percent: float | None, battery_kwh: float | None
) -> float | None:
    """The state of charge to leave with: the route's own target, else the share of the
    battery its energy needs (at most 100 %); None when neither can be known."""
    if target_soc_percent is not None:
        return target_soc_percent
    if energy_kwh is None or battery_kwh is None or battery_kwh <= 0:
        return None
    return min(100.0, energy_kwh / battery_kwh * 100.0)
