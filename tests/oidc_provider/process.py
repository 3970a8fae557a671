"""Start the test provider (``serve.py``) in a second process and wait until it answers."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]


class ProviderDidNotStart(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _rsa_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@contextmanager
def running_provider(*, people: list[dict], client: dict, seconds_to_start: float = 60):
    """Yields the provider's issuer address (``http://127.0.0.1:<port>/o``)."""
    port = _free_port()
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "OIDC_PROVIDER_PORT": str(port),
            "OIDC_PROVIDER_DATABASE": str(Path(folder) / "provider.sqlite3"),
            "OIDC_PROVIDER_PEOPLE": json.dumps(people),
            "OIDC_PROVIDER_RSA_KEY": _rsa_key(),
            "OIDC_PROVIDER_CLIENT": json.dumps(client),
            "PYTHONPATH": str(ROOT),
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        log = open(Path(folder) / "provider.log", "w+")  # noqa: SIM115 (read after it stops)
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.oidc_provider.serve"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        issuer = f"http://127.0.0.1:{port}/o"
        try:
            _wait_for(issuer, process, log, seconds_to_start)
            yield issuer
        finally:
            process.terminate()
            process.wait(timeout=10)
            log.close()


def _wait_for(issuer, process, log, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise ProviderDidNotStart(f"the provider exited: {log.read()[-2000:]}")
        try:
            if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise ProviderDidNotStart(f"the provider didn't answer within {seconds} seconds")
