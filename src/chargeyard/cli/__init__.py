"""The `chargeyard` command line."""
