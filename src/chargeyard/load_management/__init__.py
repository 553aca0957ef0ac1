"""Smart charging's control loop: `site_reader` reads a site into the optimizer's snapshot,
`planner` turns its results into limits, `delivery` sends them as charging profiles,
`controller` runs it all in the background (`step.py`: the read -> plan sequence it shares with
the what-if endpoint). Its inputs live in their own packages (`circuits`, `capacity_windows`,
`vehicles`, `session_needs`, `evse_wiring`, `energy_prices`, `demand_response`,
`measurements`); the optimizer itself is `chargeyard.smart_charging` (pure, no I/O)."""
