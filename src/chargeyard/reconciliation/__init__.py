"""Reconciliation: closing the sessions stations forgot (docs/alerts.md)."""
