"""OCPP 1.6J: the session and its translations to and from the domain."""
