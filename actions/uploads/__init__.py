"""Importing a plan by upload: the secretariat chooses a file, reads a preview of what it would
change, and confirms or discards it. The preview is kept (``PlanUpload``) until then; a large
file is checked in the background. The checking and writing are ``actions.services``' import,
the same the ``import_plan`` command runs."""
