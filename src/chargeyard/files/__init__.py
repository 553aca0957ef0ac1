"""Files stations send and fetch: diagnostics and log uploads, firmware images, one-time URLs."""
