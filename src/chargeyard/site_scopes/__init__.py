"""Site-scoped users: an operator or viewer confined to location subtrees (see docs/access.md)."""
