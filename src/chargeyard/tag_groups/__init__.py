"""Tag groups: named sets of ID tags (a fleet, a tenant's staff) that permissions can name."""
