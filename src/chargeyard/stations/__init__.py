"""Stations, their EVSEs and connectors, connectivity and status history."""
