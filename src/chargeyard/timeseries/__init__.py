"""Time series for humans and plots: meter values resampled to energy, power and SoC, and
availability per station, at a chosen resolution (docs/timeseries.md)."""
