"""Chargeyard: an open-source EV charging platform (OCPP central system, REST API, smart charging)."""

__version__ = "0.1.0"
