"""The electrical tree smart charging keeps within: the site connection and its sub-circuits."""
