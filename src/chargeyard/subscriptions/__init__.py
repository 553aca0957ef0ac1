"""Subscription plans and drivers\x27 subscriptions to them."""
