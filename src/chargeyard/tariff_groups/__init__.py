"""Tariff groups: a different tariff for a set of ID tags or drivers at chosen places."""
