"""Vendor error code translations (docs/alerts.md, "Vendor error codes")."""
