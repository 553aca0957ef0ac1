"""Security events: what stations report (SecurityEventNotification) and refused connections."""
