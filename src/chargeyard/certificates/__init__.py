"""Certificates: the built-in certificate authority, station CSR signing, ISO 15118 providers."""
