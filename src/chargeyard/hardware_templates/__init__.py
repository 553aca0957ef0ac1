"""Hardware templates: the EVSE and connector layout of one vendor's model, laid out on a
station created from it or booting as it."""
