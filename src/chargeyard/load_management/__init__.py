"""Smart charging's I/O side: circuits, vehicles, prices, demand response and measurements in
the database and the API; `site_reader` builds the optimizer's snapshot, `planner` turns its
results into limits, `delivery` sends them as charging profiles, `controller` runs it all in
the background. The optimizer itself is `chargeyard.smart_charging` (pure, no I/O)."""
