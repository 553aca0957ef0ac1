"""The REST layer: a thin HTTP skin over the domain services, under /api/v1."""
