"""Chromium for the security suite's browser tests: the end-to-end suite's session browser."""

from tests.e2e.conftest import browser  # noqa: F401  (a fixture, reused)
