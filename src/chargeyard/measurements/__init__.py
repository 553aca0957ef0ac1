"""What a site's load was: building baseload and solar readings posted for a circuit, and a
circuit's load and limits over a window read back (`load_history.py`)."""
