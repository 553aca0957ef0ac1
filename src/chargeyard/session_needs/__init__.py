"""What an operator set on one charging session (over its vehicle's data and the EV's own)."""
