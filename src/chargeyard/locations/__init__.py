"""Locations: the sites stations stand at, nested as a tree (site → area → bay)."""
