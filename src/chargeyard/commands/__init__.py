"""Remote operations: neutral commands sent to stations, their dispatch and audit log."""
