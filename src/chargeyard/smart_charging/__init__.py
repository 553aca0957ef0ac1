"""Smart charging: the electrical model and the optimizer, as pure functions.

- `electrical`: kW <-> A, line phasors, line constraints and their linearization.
- `snapshot`: frozen input values (circuit tree, EVSEs, sessions) and the tree's constraints.
- `allocation`: real-time load sharing by weighted water-filling (no solver).
- `schedule`: the fleet LP over a horizon (HiGHS); `horizon` builds it from a snapshot with
  prices, price caps, solar/baseload and V2G windows.
- `online`: model-predictive control (the LP re-solved each control step).
- `completion`: the completion preference both plans share (who bears a shortfall).
- `site_connection`: the site connection's baseload and solar in the live plan's view and in
  the fail-safe view (baseload counted, solar never).
- `defaults`: fail-safe shares and idle EVSEs' defaults (what a session not reached yet runs
  under).

Snapshot in, powers out: this package imports no database, web or OCPP code (stdlib, numpy and
highspy only).  Turning results into charging profiles belongs to the delivery layer.
"""
