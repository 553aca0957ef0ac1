"""Domain events: written in the same transaction as the change (an outbox), released after commit."""
