"""Reservations: an EVSE held for one ID tag until it is used, cancelled or expires."""
