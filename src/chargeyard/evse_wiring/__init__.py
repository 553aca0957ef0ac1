"""How each EVSE is fed (supply, voltage, lines, power range) and the unit its profiles use."""
