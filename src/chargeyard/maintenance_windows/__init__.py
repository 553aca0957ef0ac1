"""Maintenance windows: planned downtime of a station or of a location's stations, excluded from
uptime and keeping offline alerts quiet while it lasts."""
