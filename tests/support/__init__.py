"""Test scaffolding: real servers on loopback, real databases, real WebSocket clients."""
