"""REST endpoints for actions with their progress, status updates (read and write) and periods."""
