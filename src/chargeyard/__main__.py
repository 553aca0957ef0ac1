"""Allow `python -m chargeyard` as an alias of the `chargeyard` command."""

from chargeyard.cli.app import main

main()
