"""Costing a charging session against a tariff: pure functions, no I/O (OCPI 2.2.1 semantics).

`evidence.py` is what a session left behind (meter readings, charging or parked, start and
end); `timeline.py` cuts it into segments in which nothing a tariff can look at changes;
`restrictions.py` decides which elements are active in a segment; `domain.py` prices the
segments, applies step sizes, tax and the minimum and maximum price. Arithmetic is exact
(fractions); amounts are rounded once, at the end (`chargeyard/money.py`).
"""
