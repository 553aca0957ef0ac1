"""Tenants, their users, roles and API tokens."""
