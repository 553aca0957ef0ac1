"""What a fleet run reports: connections, traffic, latency."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FleetStats:
    stations: int
    connected: int
    calls_sent: int
    answers_received: int
    call_errors: int
    timeouts: int
    commands_received: int
    sessions_started: int
    reconnects: int
    elapsed_s: float
    p50_s: float | None
    p99_s: float | None

    @property
    def answers_per_second(self) -> float:
        """CALLs the CSMS handled per second: the throughput a benchmark compares."""
        return self.answers_received / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def summary(self) -> str:
        """One line, for periodic progress output."""
        return (
            f"[{self.elapsed_s:6.0f}s] {self.connected}/{self.stations} connected"
            f" | {self.calls_sent} calls, {self.answers_received} answers"
            f" ({self.answers_per_second:.1f}/s)"
            f" | p50 {_ms(self.p50_s)} p99 {_ms(self.p99_s)}"
            f" | {self.call_errors} errors, {self.timeouts} timeouts"
            f" | {self.sessions_started} sessions, {self.reconnects} reconnects"
        )

    def report(self) -> str:
        """Several lines, for the end of a run."""
        rows = (
            ("stations", f"{self.stations} ({self.connected} connected at the end)"),
            ("calls sent", str(self.calls_sent)),
            (
                "answers received",
                f"{self.answers_received} ({self.answers_per_second:.1f} per second)",
            ),
            ("latency p50 / p99", f"{_ms(self.p50_s)} / {_ms(self.p99_s)}"),
            ("CALLERRORs / timeouts", f"{self.call_errors} / {self.timeouts}"),
            ("commands from the CSMS", str(self.commands_received)),
            ("sessions started", str(self.sessions_started)),
            ("reconnects", str(self.reconnects)),
            ("elapsed", f"{self.elapsed_s:.1f} s"),
        )
        return "\n".join(f"{label + ':':24}{value}" for label, value in rows)


def _ms(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds * 1000:.1f} ms"
