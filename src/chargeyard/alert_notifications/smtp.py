"""`SmtpSender`: sends a digest over SMTP with aiosmtplib, as the settings say (host, port,
STARTTLS or implicit TLS, login). The password stays a `SecretStr` until the login itself."""

from email.message import EmailMessage
from email.utils import format_datetime

import aiosmtplib

from chargeyard.alert_notifications.models import AlertMail
from chargeyard.settings import Settings


def message_of(mail: AlertMail, sender: str) -> EmailMessage:
    """The digest as an e-mail: plain text, with its HTML as the alternative. Its Message-ID is the digest's id: a digest sent again after a
    crash (at least once) is recognisably the same message."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(mail.recipients)
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.created_at)
    domain = sender.rpartition("@")[2] or "chargeyard"
    message["Message-ID"] = f"<alert-mail-{mail.id}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail.body)
    if mail.html:
        # multipart/alternative: clients that show HTML show it, the others the text.
        message.add_alternative(mail.html, subtype="html")
    return message


class SmtpSender:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @property
    def configured(self) -> bool:
        return self.settings.smtp_host is not None

    async def send(self, mail: AlertMail) -> None:
        """Send one digest; raises on any failure (the mailer records it and retries)."""
        s = self.settings
        password = None if s.smtp_password is None else s.smtp_password.get_secret_value()
        await aiosmtplib.send(
            message_of(mail, s.smtp_from),
            hostname=s.smtp_host,
            port=s.smtp_port,
            username=s.smtp_user,
            password=password if s.smtp_user else None,
            use_tls=s.smtp_security == "tls",
            start_tls=s.smtp_security == "starttls",
            timeout=s.smtp_timeout_s,
        )
