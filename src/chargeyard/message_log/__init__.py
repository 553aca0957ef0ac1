"""The log of every OCPP frame in and out, written in batches off the hot path."""
