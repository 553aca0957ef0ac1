"""What a session's electricity cost the operator, and the margin its price left."""
