"""Vehicle telematics: what a vehicle reports over time (state of charge, odometer, position)."""
