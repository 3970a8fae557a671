"""Production settings pass Django's deployment checklist, and refuse to run half-configured."""

import os
import secrets
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.production.processes import REPO
from tsoc_tracker.settings import StrictEnv


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECRET_KEY"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env={**base, "DJANGO_SETTINGS_MODULE": "tsoc_tracker.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "deployment",
    [
        pytest.param({}, id="serving-https-itself"),
        pytest.param({"TRUST_X_FORWARDED_PROTO": "1"}, id="behind-a-tls-proxy"),
    ],
)
def test_production_settings_pass_check_deploy_with_no_warnings(deployment):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="tsoc-tracker.agency.govt.nz",
        **deployment,
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DEBUG="0")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_boolean_setting_that_cannot_be_read_is_refused_not_guessed(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a boolean"):
        StrictEnv().bool("DEBUG", default=False)
