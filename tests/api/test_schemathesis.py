"""Schemathesis against the live schema (``/api/schema/``): for an anonymous client and for a
token holder, every operation is fuzzed and no response may be a server error or break the
schema (status, content type, headers, body)."""

import subprocess
import sys
from pathlib import Path

import pytest

from agencies.api.throttling import ApiRateThrottle

CONFIG = Path(__file__).with_name("schemathesis.toml")
MAX_EXAMPLES = 5  # per operation and phase: enough to reach every parameter, under a minute


@pytest.fixture
def no_throttling(monkeypatch):
    """The fuzzer sends far more requests than a client is allowed; that's not what is tested."""
    rates = {"token": "100000/hour", "user": "100000/hour", "anon": "100000/hour"}
    monkeypatch.setattr(ApiRateThrottle, "THROTTLE_RATES", rates)


def schemathesis(live_server, workdir: Path, *options: str) -> subprocess.CompletedProcess:
    """Run the CLI in ``workdir``: it leaves its example database there, not in the checkout."""
    command = [sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG), "run"]
    command += [f"{live_server.url}/api/schema/", "--checks", "all"]
    command += ["--max-examples", str(MAX_EXAMPLES), "--seed", "2026", "--workers", "1"]
    command += ["--request-timeout", "30", "--no-color", *options]
    return subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=600)


@pytest.mark.schemathesis
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("caller", ["anonymous", "token holder"])
def test_schemathesis_finds_no_server_error_or_schema_violation(
    live_server, no_throttling, world, lead, token_for, caller, tmp_path
):
    if caller == "anonymous":
        # Every operation refuses before reading a parameter, so boundary values add nothing.
        options = ["--phases", "fuzzing,stateful"]
    else:
        options = ["--header", f"Authorization: Token {token_for(lead)}"]
    run = schemathesis(live_server, tmp_path, *options)
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
    assert " passed" in run.stdout
