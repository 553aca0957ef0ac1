"""`ServerContext`: the process-wide services a request, an OCPP session or a command runner is
handed (settings, database, clock, message log, the server secret key), passed in rather than
imported."""

from dataclasses import dataclass, field

from chargeyard.clock import Clock
from chargeyard.message_log.writer import MessageLogWriter
from chargeyard.security.sign_in_guard import SignInGuard
from chargeyard.settings import Settings
from chargeyard.storage.database import Database
from chargeyard.tariffs.local_calculation import TariffTakers


@dataclass(frozen=True)
class ServerContext:
    settings: Settings
    db: Database
    clock: Clock
    message_log: MessageLogWriter
    secret_key: bytes
    """`security/secret_key.py`: keys station password verifiers and seals webhook secrets."""
    sign_in: SignInGuard
    """Brute-force brakes on station handshakes, REST Basic and name-probing creates."""
    tariff_takers: TariffTakers = field(default_factory=TariffTakers)
    """Which 2.1 stations calculate costs locally (`tariffs/local_calculation.py`), remembered
    so that an Authorize of one that does not costs no read."""
