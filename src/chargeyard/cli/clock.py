"""The clock a command reads, as the server's services read the one they are handed.

A caller may hand one as the app's `obj` (`CliRunner().invoke(app, args, obj=Handed(clock))`,
as the tests do, to run a command at another time); otherwise a command reads the wall clock
(`chargeyard.clock.utcnow`), the one a person at the shell means. Every time a command stamps,
compares or signs with (a retention pass's cut-off, a certificate's validity, a token's rows,
the conformance station's timestamps) comes from here.
"""

from dataclasses import dataclass

import typer

from chargeyard.clock import Clock, utcnow


@dataclass(frozen=True)
class Handed:
    clock: Clock


def command_clock(ctx: typer.Context) -> Clock:
    handed = ctx.find_root().obj
    return handed.clock if isinstance(handed, Handed) else utcnow
