"""Drivers (end customers, not operator users), their ID tags, and the money ledger per driver."""
