"""Vehicle groups: named sets of a fleet's vehicles (a depot's vans, a pool of cars)."""
