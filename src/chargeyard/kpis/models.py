"""The daily rollup of the time-weighted KPIs (`rollup.py`): one row per station, place and
UTC day, and how far its job has read the event log.

A row holds one UTC day's tally of one connector of a station (`evse_id`, `connector_id`; a 2.x
connector reported without a connector id is 0), or of the station judged as one unit
(`evse_id` 0, `connector_id` 0: the figure for a station none of whose connectors has
reported), in whole microseconds (`domain.Tally`). Migration 0026.
"""

from datetime import date

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.storage.base import Base

UNIT = (0, 0)
"""The place of the station judged as one unit."""


class UtilisationDay(Base):
    __tablename__ = "utilisation_days"

    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    station_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    evse_id: Mapped[int] = mapped_column(primary_key=True)
    connector_id: Mapped[int] = mapped_column(primary_key=True)
    up_us: Mapped[int] = mapped_column(BigInteger)
    down_us: Mapped[int] = mapped_column(BigInteger)
    excluded_us: Mapped[int] = mapped_column(BigInteger)
    occupied_us: Mapped[int] = mapped_column(BigInteger)
    charging_us: Mapped[int] = mapped_column(BigInteger)


class RollupCursor(Base):
    """The last event position the rollup job has judged (`rollup.py`)."""

    __tablename__ = "utilisation_rollup_cursor"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger)
