"""Secrets: password hashing and API token generation. Nothing here stores or logs a secret."""
