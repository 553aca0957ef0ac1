"""The cluster: what lets several worker processes and nodes act as one Chargeyard.

`bus.py` is the transport (presence of workers and stations, messages between workers) with an
in-memory implementation for one process (`memory.py`) and a Redis one (`redis_bus.py`). On top
of it: `mailbox.py` (requests and answers between workers), `dispatcher.py` (a command reaches
the worker holding the station's socket), `presence.py` (claiming stations, closing an old
socket held elsewhere) and `sweeper.py` (stations of a dead worker read as disconnected).
`leases.py` holds the leases of jobs that must run once in the cluster (`models.py`,
`repository.py`: a table in the database). `node.py` builds the whole for a process. Nothing here imports the OCPP adapter: the wiring
(`api/app.py`) hands in what the cluster needs from it as callables.
"""
