"""Settings for ``make bench``: the production settings (DEBUG off) against a bench database.

The differences from production are only what a loopback benchmark needs: a fixed bench secret,
plain HTTP (gunicorn on 127.0.0.1 without TLS), the test client's host name, Celery in-process,
email kept in memory (messages are still rendered; only the SMTP hop is left out), static files
collected into ``var/bench/static`` (report PDFs go to ``var/bench/media``) and one extra URL,
a minimal view for the load test (``benchmarks.urls``). With ``BENCH_REDIS_URL`` the cache and
the API's rate limits live in that Redis, shared by every gunicorn worker, as in production.
"""

import os

os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-never-used-in-production")
os.environ["SECURE_SSL_REDIRECT"] = "0"
os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
os.environ["LOG_LEVEL"] = "WARNING"
os.environ.pop("REDIS_URL", None)
if os.environ.get("BENCH_REDIS_URL"):
    os.environ["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
os.environ.pop("EMAIL_URL", None)

from tsoc_tracker.settings import *  # noqa: F403
from tsoc_tracker.settings import BASE_DIR

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_ROOT = BASE_DIR / "var" / "bench" / "static"
MEDIA_ROOT = BASE_DIR / "var" / "bench" / "media"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://localhost/"
ROOT_URLCONF = "benchmarks.urls"

# The data sets' processes share one Redis, and their plans and periods have the same ids: each
# set keeps its cached pages and counts under its own prefix, or one set would serve another's.
DATA_SET = os.environ.get("DATABASE_URL", "").rsplit("/", 1)[-1]
CACHES["default"]["KEY_PREFIX"] = f"bench-{DATA_SET}"  # noqa: F405
