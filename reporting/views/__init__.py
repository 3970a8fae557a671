"""Reporting pages, one module per area (``returns``: the quarterly return and its review)."""
