"""This process's identity among the cluster's workers: the node's name and the process id."""

import os

from chargeyard.settings import Settings


def worker_id(settings: Settings) -> str:
    """`node_id:pid`: unique across nodes (distinct `CHARGEYARD_NODE_ID`s) and across the worker
    processes of one node (distinct pids), so no two live workers ever claim to be the same."""
    return f"{settings.node_id}:{os.getpid()}"
