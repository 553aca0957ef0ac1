"""Demand-response events: curtailments that cap a circuit, V2G windows that let it discharge."""
