"""The web dashboard: server-rendered pages at `/` for the people who run the network.

Pages read through the same repositories and act through the same services (and role checks) as
the REST API; see docs/dashboard.md.
"""
