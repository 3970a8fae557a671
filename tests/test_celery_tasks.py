"""A worker knows every task by the name beat rows and queued messages use."""

import importlib

from tsoc_tracker.celery import app

PINNED_NAMES = (
    "reporting.tasks.tick_reminders",
    "reporting.tasks.send_reminder",
    "reporting.tasks.send_reminders",
    "reporting.tasks.build_report_pdf",
    "reporting.tasks.fail_stuck_report_builds",
    "reporting.tasks.tick_governance_reminders",
    "actions.uploads.tasks.check_plan_upload",
)


def test_a_worker_registers_every_task_under_its_pinned_name():
    app.loader.import_default_modules()  # what a worker does at start-up

    assert set(PINNED_NAMES) <= set(app.tasks)


def test_every_module_that_defines_tasks_is_imported_by_workers():
    for module in app.conf.imports:
        importlib.import_module(module)
    names = {name for name in app.tasks if name.startswith(("reporting.", "actions."))}

    assert names == set(PINNED_NAMES)
