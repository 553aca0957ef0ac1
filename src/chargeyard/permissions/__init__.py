"""Permissions: which ID tags (or tag groups) may charge where, through the site tree."""
