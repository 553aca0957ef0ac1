"""Running Chargeyard as several nodes (and worker processes) on one database."""
