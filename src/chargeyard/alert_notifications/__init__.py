"""Alert notification channels: e-mail (settings per organization and rule, digests, the mailer
job) and which rules webhooks carry (docs/alerts.md, "Notifications")."""
