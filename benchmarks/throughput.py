"""Requests per second under load: gunicorn with several workers on loopback, driven by wrk.

gunicorn runs with the production configuration (``tsoc_tracker/gunicorn_conf.py``) against the
largest bench database; wrk is bounded in time and connections and only ever aims at 127.0.0.1.
"""

import contextlib
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

WORKERS = 4
THREADS, CONNECTIONS, SECONDS, RUNS = 2, 8, 5, 3
PORTS = range(8171, 8200)

# wrk counts only 4xx/5xx as errors; a redirect to the sign-in page would look like success.
# This script counts every response that is not a 200 across wrk's threads.
NOT_OK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not_ok = 0 end
function response(status, headers, body) if status ~= 200 then not_ok = not_ok + 1 end end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("not_ok") end
  io.write(string.format("not_ok %d\\n", total))
end
"""

UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def get_status(port: int, path: str, cookie: str = "") -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        return connection.getresponse().status
    finally:
        connection.close()


@contextlib.contextmanager
def gunicorn(database_url: str, log: Path) -> Iterator[int]:
    """Serve the app on a free loopback port for the duration of the block; stop it after."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": database_url,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(WORKERS),
    }
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "-c",
        "python:tsoc_tracker.gunicorn_conf",
        "tsoc_tracker.wsgi",
    ]
    with log.open("w") as output:
        server = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                if get_status(port, "/healthz") == 200:
                    break
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start; see {log}")
            time.sleep(0.5)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def seconds(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * UNITS[unit]


def parse_wrk(output: str) -> dict:
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": seconds(re.search(r"50%\s+(\S+)", output).group(1)),
        "p99": seconds(re.search(r"99%\s+(\S+)", output).group(1)),
        "errors": int(re.search(r"not_ok (\d+)", output).group(1))
        + (sum(int(n) for n in socket_errors.groups()) if socket_errors else 0),
    }


def load(port: int, path: str, cookie: str) -> list[dict]:
    """``RUNS`` bounded wrk runs against one page; the page must answer 200 before the first."""
    status = get_status(port, path, cookie)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status} before the load test, not 200")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(NOT_OK_SCRIPT)
    try:
        runs = []
        for _ in range(RUNS):
            completed = subprocess.run(
                [
                    "wrk",
                    f"-t{THREADS}",
                    f"-c{CONNECTIONS}",
                    f"-d{SECONDS}s",
                    "--timeout",
                    "30s",
                    "--latency",
                    "-s",
                    script.name,
                    "-H",
                    f"Cookie: {cookie}",
                    f"http://127.0.0.1:{port}{path}",
                ],
                capture_output=True,
                text=True,
                check=True,
                timeout=SECONDS + 60,
            )
            runs.append(parse_wrk(completed.stdout))
        return runs
    finally:
        os.unlink(script.name)
