"""Settings for the test suite: the real settings, with fast hashing and captured email.

``DATABASE_URL`` still decides the database: SQLite by default, PostgreSQL in CI.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-only-secret-key")
os.environ.setdefault("DEBUG", "0")

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tasks run in-process unless a test starts a real worker (tests marked ``worker``).
CELERY_TASK_ALWAYS_EAGER = True
# Rate-limit counts in this process's memory, even with REDIS_URL set: counts kept in a shared
# Redis would carry over from one test run to the next (tests/api/test_throttle_cache.py uses
# Redis on purpose).
CACHES = cache_settings("", key_prefix="")  # noqa: F405
# Sign-in throttling needs the request, which the test client's login() doesn't pass; the
# throttling tests turn it back on (tests/security/test_login_throttling.py).
AXES_ENABLED = False
# The test client speaks plain HTTP; the HTTPS redirect is tested with production settings
# (tests/security/test_deploy_check.py, tests/production/).
SECURE_SSL_REDIRECT = False
# No collectstatic before tests: WhiteNoise looks files up per request instead of scanning (and
# warning about) a STATIC_ROOT that doesn't exist.
WHITENOISE_AUTOREFRESH = True
