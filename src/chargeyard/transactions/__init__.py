"""Charging transactions (sessions) and the meter values stations report."""
