"""Tariffs: prices in the OCPI 2.2.1 shape, their versions, and where they apply."""
