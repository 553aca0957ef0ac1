"""Signed webhooks: subscriptions, the outbox dispatcher that delivers events, and its log."""
