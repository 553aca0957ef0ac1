"""KPIs: time-weighted connectivity and uptime from the stored history."""
