"""Evidence behind a return or an indicator reading: files checked from their content, links,
the permission-checked download."""
