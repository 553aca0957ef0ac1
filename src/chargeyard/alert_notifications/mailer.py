"""`AlertMailer`: the background job that mails alert digests, once in the cluster.

The worker holding the `alerts.mailer` lease runs rounds (`run_once`), each in three steps, each
its own transaction, so a crash between any two loses and repeats nothing but a send:

1. **Queue**: read the `alert.triggered` / `alert.resolved` events after its cursor and queue an
   item for each one somebody is to be mailed about, moving the cursor in the same transaction
   (each event is queued exactly once across crashes and lease handovers).
2. **Gather**: every group (organization, kind, recipients) whose oldest item has waited the
   digest window becomes one digest row, composed once (the outbox).
3. **Send**: send the due digests; mark each Sent only if it is still Pending (idempotent), or
   record the failure and when to try again (exponential backoff), `Failed` after the last
   attempt. A crash after a send and before its mark sends it again: at least once, with the
   same Message-ID.

It reads the event log the alert evaluator already writes to, in its own task: a slow or
unreachable SMTP server delays only mail, never alert evaluation nor the OCPP path. It runs only
when `smtp_host` is set. The loop and the lease are `cluster/periodic.py: PeriodicJob`'s.
"""

import logging
from datetime import timedelta

from chargeyard.alert_notifications import repository
from chargeyard.alert_notifications.domain import (
    EVENT_KINDS,
    MailStatus,
    links_at,
    retry_delay_s,
)
from chargeyard.alert_notifications.models import AlertMail
from chargeyard.alert_notifications.service import gather, queue
from chargeyard.alert_notifications.smtp import SmtpSender
from chargeyard.alerts import repository as alert_log
from chargeyard.clock import Clock
from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.cluster.periodic import PeriodicJob
from chargeyard.events.payloads import ALERT_MAIL_FAILED, AlertMailFailed
from chargeyard.events.recorder import record_event
from chargeyard.events.repository import last_position
from chargeyard.settings import Settings
from chargeyard.storage.database import Database

logger = logging.getLogger(__name__)

LEASE = "alerts.mailer"
BATCH = 500
SEND_BATCH = 50


class AlertMailer(PeriodicJob):
    name = LEASE
    failure = "alert mail round failed"

    def __init__(
        self,
        db: Database,
        clock: Clock,
        leases: LeaseKeeper,
        settings: Settings,
        sender: SmtpSender | None = None,
    ) -> None:
        sender = sender or SmtpSender(settings)
        poll_s = min(settings.alerts_sweep_s, max(settings.alerts_mail_window_s, 0.1))
        super().__init__(leases, poll_s, enabled=sender.configured)
        self.leases: LeaseKeeper = leases
        self.db = db
        self.clock = clock
        self.settings = settings
        self.sender = sender

    async def run_once(self) -> None:
        """One round, while this worker holds the lease (`round()` asks for it)."""
        await self.follow()
        if self.leases.holds(LEASE):
            await self.gather()
        if self.leases.holds(LEASE):
            await self.send_due()

    async def follow(self) -> int:
        """Queue the alert events after the cursor; answers how many events were read. A
        mailer without a cursor starts at the log's end: history is not mailed. Nothing new
        costs a read, not a write."""
        async with self.db.reading() as uow:
            start = await alert_log.cursor(uow.session, name=repository.CURSOR)
            upto = await last_position(uow.session)
        if start is not None and start >= upto:
            return 0
        total = 0
        while True:
            async with self.db.writing() as uow:
                upto = await last_position(uow.session)
                start = await alert_log.cursor(uow.session, for_update=True, name=repository.CURSOR)
                if start is None:
                    await alert_log.move_cursor(uow.session, upto, name=repository.CURSOR)
                    await uow.commit()
                    return total
                if start >= upto:
                    return total
                events = await alert_log.events_after(
                    uow.session, start, upto, list(EVENT_KINDS), BATCH
                )
                await queue(uow, events, self.clock(), self.settings.alerts_mail_max_age_s)
                full = len(events) == BATCH
                reached = events[-1].position if full and events[-1].position else upto
                await alert_log.move_cursor(uow.session, reached, name=repository.CURSOR)
                await uow.commit()
            total += len(events)
            if not full:
                return total

    async def gather(self) -> int:
        async with self.db.reading() as uow:
            if not await repository.has_waiting(uow.session):
                return 0
        s = self.settings
        async with self.db.writing() as uow:
            links = links_at(s.dashboard_url or s.public_url)
            made = await gather(
                uow, self.clock(), s.alerts_mail_window_s, s.alerts_mail_max_listed, links
            )
            await uow.commit()
        return made

    async def send_due(self) -> int:
        """Send the digests due now; answers how many were sent."""
        async with self.db.reading() as uow:
            due = list(await repository.due_mails(uow.session, self.clock(), SEND_BATCH))
        sent = 0
        for mail in due:
            if not self.leases.holds(LEASE):
                break
            try:
                await self.sender.send(mail)
            except Exception as exc:
                await self._failed(mail, exc)
                continue
            async with self.db.writing() as uow:
                await repository.mark_sent(uow.session, mail.id, self.clock())
                await uow.commit()
            sent += 1
        return sent

    async def _failed(self, mail: AlertMail, exc: Exception) -> None:
        s = self.settings
        now = self.clock()
        attempts = mail.attempts + 1
        error = f"{type(exc).__name__}: {exc}"[:500]
        gave_up = attempts >= s.alerts_mail_max_attempts
        wait_s = retry_delay_s(attempts, s.alerts_mail_retry_s, s.alerts_mail_retry_max_s)
        logger.warning(
            "alert e-mail %s failed (attempt %d%s): %s",
            mail.id,
            attempts,
            ", giving up" if gave_up else f", again in {wait_s:.0f} s",
            error,
        )
        async with self.db.writing() as uow:
            values = {
                "attempts": attempts,
                "last_error": error,
                "updated_at": now,
                "status": MailStatus.FAILED.value if gave_up else MailStatus.PENDING.value,
                "next_attempt_at": None if gave_up else now + timedelta(seconds=wait_s),
            }
            marked = await repository.mark_failed(uow.session, mail.id, values)
            if marked and gave_up:
                record_event(
                    uow,
                    organization_id=mail.organization_id,
                    kind=ALERT_MAIL_FAILED,
                    occurred_at=now,
                    data=AlertMailFailed(
                        {
                            "mail_id": mail.id,
                            "kind": mail.kind,
                            "alerts": mail.alerts,
                            "attempts": attempts,
                            "error": error,
                        }
                    ),
                )
            await uow.commit()
