"""The fleet's vehicles: battery, usual departure and target, the ID tag that names them."""
