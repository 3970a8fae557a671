"""The dashboard page of a plan and period, and its chooser."""
