"""How a simulated station answers the commands a CSMS sends it.

By default a station accepts everything it can do. Naming an action in `rejected` makes
it take that command's negative path (Rejected, UnlockFailed, a failed firmware download,
...); naming it in `unsupported` makes it answer with a NotImplemented CALLERROR, like a
charger whose firmware lacks the feature. Action names are the OCPP ones ("Reset").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Behaviour:
    rejected: frozenset[str] = frozenset()
    unsupported: frozenset[str] = frozenset()
    # Pause between the progress notifications of a firmware update or diagnostics upload.
    step_delay_s: float = 2.0

    @classmethod
    def rejecting(cls, *actions: str, step_delay_s: float = 2.0) -> Behaviour:
        return cls(rejected=frozenset(actions), step_delay_s=step_delay_s)

    def accepts(self, action: str) -> bool:
        return action not in self.rejected
