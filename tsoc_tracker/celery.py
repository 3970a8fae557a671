"""The Celery app. Tasks sit beside the services they run (``<app>/<room>/tasks.py``); the
settings' ``CELERY_IMPORTS`` lists those modules, so a worker registers every task."""

import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsoc_tracker.settings")

app = Celery("tsoc_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")


@setup_logging.connect
def use_django_logging(**kwargs) -> None:
    """Workers and beat log through Django's LOGGING (JSON lines in production, level LOG_LEVEL)
    instead of Celery's own handlers and format."""
