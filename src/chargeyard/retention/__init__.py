"""Retention: old message-log frames, raw meter values, events and webhook deliveries deleted in
batches by a background job, raw meter values rolled up by the hour first."""
