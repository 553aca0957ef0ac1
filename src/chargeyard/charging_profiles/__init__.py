"""Charging profiles: neutral values, the rules they must meet, and power limits."""
