"""Planned routes: a vehicle's next trips, each with its departure and the energy it needs."""
