"""Alert notifications by e-mail: channel settings per organization and rule, digests, the
mailer job (docs/alerts.md, "Notifications")."""
