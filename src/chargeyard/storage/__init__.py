"""Persistence: the SQLAlchemy base, engine, unit of work and Alembic migrations."""
