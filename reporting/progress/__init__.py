"""The plan's progress, computed once for every surface: the latest status of actions in SQL
(``latest``), and the snapshot behind the dashboard, the reports and the exports (``snapshot``,
``assembly``, ``redaction``)."""
