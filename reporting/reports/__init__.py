"""Progress reports for the steering group, Cabinet and the SIB: asked for, built in the
background from a frozen snapshot, rendered to PDF, and exported to Word and XLSX."""
