"""Observability: Prometheus metrics (`metrics.py`), structured logging (`logs.py`) and the
log context bound to a station, a CALL or a command (`log_context.py`)."""
