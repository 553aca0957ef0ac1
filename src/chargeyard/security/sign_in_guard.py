"""`SignInGuard`: this process's brakes on guessing, configured from settings.

- sign-ins (station handshakes, REST Basic) per name (`station:<id>`, `email:<address>`) and,
  with a higher threshold, per source address (`address:<ip>`), in `AttemptLimiter`s;
- creates refused because a name is taken (station ids and e-mails are unique across
  organizations, so a refusal says the name exists somewhere), per organization.
"""

import time
from collections.abc import Callable

from chargeyard.security.attempts import AttemptLimiter, LockoutPolicy
from chargeyard.settings import Settings


class SignInGuard:
    def __init__(self, settings: Settings, monotonic: Callable[[], float] = time.monotonic) -> None:
        def policy(max_failures: int) -> LockoutPolicy:
            return LockoutPolicy(
                max_failures=max_failures,
                lockout_s=settings.auth_lockout_s,
                max_lockout_s=settings.auth_max_lockout_s,
                forget_after_s=settings.auth_forget_after_s,
            )

        self.names = AttemptLimiter(policy(settings.auth_max_failures), monotonic)
        self.addresses = AttemptLimiter(policy(settings.auth_address_max_failures), monotonic)
        self.conflicts = AttemptLimiter(policy(settings.create_conflicts_per_window), monotonic)

    def retry_after(self, name: str, address: str | None) -> float | None:
        """Seconds until a sign-in as `name` from `address` may be tried again (None: now)."""
        waits = [self.names.retry_after(name)]
        if address is not None:
            waits.append(self.addresses.retry_after(f"address:{address}"))
        found = [w for w in waits if w is not None]
        return max(found) if found else None

    def failed(self, name: str, address: str | None) -> float | None:
        """Count a failed sign-in; the lockout in seconds if this one started one."""
        started = [self.names.failed(name)]
        if address is not None:
            started.append(self.addresses.failed(f"address:{address}"))
        found = [s for s in started if s is not None]
        return max(found) if found else None

    def succeeded(self, name: str) -> None:
        self.names.succeeded(name)


def station_key(station_id: str) -> str:
    return f"station:{station_id}"


def email_key(email: str) -> str:
    return f"email:{email.lower()}"
