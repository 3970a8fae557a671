"""Reporting periods: opening, closing and adding quarters, and the cross-agency period pages."""
