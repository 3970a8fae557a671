"""gunicorn settings for production.

    gunicorn -c python:tsoc_tracker.gunicorn_conf tsoc_tracker.wsgi

Values come from the environment so compose and the smoke test share one configuration. Access
and error lines are written as JSON like the app's own logs (``tsoc_tracker.logs``).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# Recycle workers now and then so a slow leak can't grow without bound.
max_requests = 1000
max_requests_jitter = 100
accesslog = "-"
# No run-time control socket (gunicorn 24+): nothing here manages workers that way.
control_socket_disable = True
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "tsoc_tracker.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
