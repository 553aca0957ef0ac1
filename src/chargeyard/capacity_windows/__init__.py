"""Time-varying limits on a circuit (the lower of the circuit's own limit and a window's holds)."""
