"""Alerts: rules over what stations report, and the operator workflow on what they raise."""
