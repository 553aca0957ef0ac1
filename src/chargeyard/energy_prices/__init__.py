"""Time-of-use energy prices, per circuit or for the whole organization."""
