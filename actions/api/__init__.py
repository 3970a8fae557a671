"""REST endpoints for strategies, plans, areas, agencies and indicator readings, and the action
representation ``reporting.api`` extends with progress."""
