"""Plumbing every app uses and no model owns: the REST API's base classes, errors, rendering
and paging (``core.api``), filter primitives (``core.filters``) and spreadsheet helpers
(``core.spreadsheets``). It imports from no app of the project."""
