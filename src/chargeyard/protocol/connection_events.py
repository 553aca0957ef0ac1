"""Security events about a station's connection itself, seen by the endpoint (not by a handler)."""

from chargeyard.protocol.context import ServerContext, StationIdentity
from chargeyard.security_events.domain import INVALID_MESSAGES
from chargeyard.security_events.service import SecurityEventService


async def record_oversized_message(
    ctx: ServerContext, identity: StationIdentity, limit_bytes: int
) -> None:
    """A message over `ws_max_frame_bytes` closed the connection (1009): say so in the
    station's security log, where an operator looks for a misbehaving or hostile station."""
    async with ctx.db.writing() as uow:
        SecurityEventService(uow, identity.organization_id, ctx.clock).observed(
            identity.station_id,
            INVALID_MESSAGES,
            f"message over {limit_bytes} bytes: connection closed (1009)",
        )
        await uow.commit()
