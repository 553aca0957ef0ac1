"""`AutoReconciliation`: the background job that closes overdue zombie sessions of the
organizations whose policy says so, once in the cluster (the `reconciliation.auto_close` lease).

Every period it reads the policies that close automatically (none: one tiny read, nothing
else), lists each such organization's overdue zombies by its `session-zombie` threshold, and
closes them exactly as an operator's request would (`service.close_zombies`: force stop, audit
entry, `session.reconciled`), in the name of `system:reconciliation`. The loop, the lease and
the log of a failed round are `cluster/periodic.py: PeriodicJob`'s.
"""

from dataclasses import dataclass

from chargeyard.clock import Clock
from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.cluster.periodic import PeriodicJob
from chargeyard.commands.runner import CommandRunner
from chargeyard.organizations.domain import Principal, Role
from chargeyard.reconciliation import repository
from chargeyard.reconciliation.service import close_zombies, overdue_zombies, zombie_threshold
from chargeyard.storage.database import Database

LEASE = "reconciliation.auto_close"


@dataclass(frozen=True)
class SystemPrincipal(Principal):
    """The job acting for an organization: the audit log names it, not a user or a token."""

    @property
    def actor(self) -> str:
        return "system:reconciliation"


class AutoReconciliation(PeriodicJob):
    name = LEASE
    failure = "automatic reconciliation failed"

    def __init__(
        self,
        db: Database,
        clock: Clock,
        leases: LeaseKeeper,
        runner: CommandRunner,
        period_s: float,
        timeout_s: float,
    ) -> None:
        super().__init__(leases, period_s)
        self.db = db
        self.clock = clock
        self.runner = runner
        self.timeout_s = timeout_s

    async def run_once(self) -> int:
        """Close what the policies say; answers how many sessions were closed."""
        now = self.clock()
        async with self.db.reading() as uow:
            policies = await repository.automatic(uow.session)
            due = []
            for policy in policies:
                organization = policy.organization_id
                threshold = await zombie_threshold(uow.session, organization)
                found = await overdue_zombies(uow.session, organization, threshold, now)
                if found:
                    due.append((organization, policy.reason, found))
        closed = 0
        for organization, reason, found in due:
            caller = SystemPrincipal(organization, Role.OPERATOR, service=True)
            done, _ = await close_zombies(self.runner, caller, found, reason, self.timeout_s)
            closed += len(done)
        return closed
