"""Reports: CSV exports streamed page by page."""
