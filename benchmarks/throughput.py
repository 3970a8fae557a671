"""Requests per second under load: gunicorn with several workers on loopback, driven by wrk.

gunicorn runs with the production configuration (``tsoc_tracker/gunicorn_conf.py``) against a
bench database, with the cache and the API's rate limits in Redis (``BENCH_REDIS_URL``) as in
production, on a port the system gives it at start (or ``BENCH_PORT``); wrk is bounded in time and
connections and only ever aims at 127.0.0.1.

Errors are counted from gunicorn's own access log (every response to the page other than a 200,
so a redirect to the sign-in page counts too) plus wrk's socket errors and timeouts. wrk's Lua
``response`` hook would do the counting in wrk, but with it wrk loses large responses.
"""

import contextlib
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

WORKERS = 4
THREADS, CONNECTIONS, SECONDS, RUNS = 2, 8, 10, 3
WARM_UP_SECONDS = 5
# Rates for the run: browser sessions (the page runs) unthrottled, so the figures are the pages'
# cost; tokens at a limit one run stays under and another, on a cheap endpoint, goes past.
TOKEN_RATE, TOKEN_LIMIT = "1500/hour", 1500
SESSION_RATE = "10000000/hour"
UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}
ACCESS_LINE = re.compile(r'"GET (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d{3}) ')


@dataclass
class Server:
    port: int
    access_log: Path


def free_port() -> int:
    """``BENCH_PORT``, or a port the system has free on loopback now."""
    if os.environ.get("BENCH_PORT"):
        return int(os.environ["BENCH_PORT"])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_status(port: int, path: str, header: str = "") -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        name, _, value = header.partition(": ")
        connection.request("GET", path, headers={name: value} if header else {})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@contextlib.contextmanager
def gunicorn(database_url: str, log: Path) -> Iterator[Server]:
    """Serve the app on a free loopback port for the duration of the block; stop it after."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": database_url,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(WORKERS),
        "API_THROTTLE_TOKEN": TOKEN_RATE,
        "API_THROTTLE_USER": SESSION_RATE,
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
        yield Server(port, log)
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
    def find(pattern: str) -> re.Match:
        match = re.search(pattern, output, re.MULTILINE)
        if match is None:
            raise RuntimeError(f"wrk printed no {pattern!r}:\n{output}")
        return match

    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "requests": int(find(r"(\d+) requests in").group(1)),
        "rps": float(find(r"^Requests/sec:\s+([\d.]+)").group(1)),
        "p50": seconds(find(r"^\s+50%\s+(\S+)").group(1)),
        "p99": seconds(find(r"^\s+99%\s+(\S+)").group(1)),
        "socket_errors": sum(int(n) for n in socket_errors.groups()) if socket_errors else 0,
    }


def statuses(access_log: Path, offset: int, path: str) -> tuple[Counter, int]:
    """The statuses of the responses to ``path`` gunicorn logged after ``offset``, and the log's
    new end."""
    with access_log.open("rb") as log:
        log.seek(offset)
        lines = log.read()
    counted = Counter()
    for line in lines.splitlines():
        with contextlib.suppress(ValueError):
            match = ACCESS_LINE.search(json.loads(line).get("message", ""))
            if match and match["path"] == path:
                counted[match["status"]] += 1
    return counted, offset + len(lines)


def log_end(access_log: Path) -> int:
    return access_log.stat().st_size


def wrk(port: int, path: str, header: str, duration: int) -> dict:
    completed = subprocess.run(
        [
            "wrk",
            f"-t{THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{duration}s",
            "--timeout",
            "30s",
            "--latency",
            "-H",
            header,
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 60,
    )
    return parse_wrk(completed.stdout)


def load(server: Server, path: str, header: str, *, runs: int = RUNS) -> list[dict]:
    """``runs`` bounded wrk runs against one page, after an untimed warm-up run that gets every
    worker's connections and caches going; the page must answer 200 before anything starts.
    ``header`` is the session cookie or the token (``Authorization: Token …``)."""
    status = get_status(server.port, path, header)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status} before the load test, not 200")
    wrk(server.port, path, header, WARM_UP_SECONDS)
    time.sleep(1)  # the access log written out
    offset = log_end(server.access_log)
    results = []
    for _ in range(runs):
        run = wrk(server.port, path, header, SECONDS)
        time.sleep(1)
        counted, offset = statuses(server.access_log, offset, path)
        run["errors"] = sum(n for status, n in counted.items() if status != "200")
        run["errors"] += run.pop("socket_errors")
        run["throttled"] = counted.get("429", 0)
        results.append(run)
    return results


def past_the_limit(server: Server, path: str, header: str) -> dict:
    """One wrk run with a fresh token on a cheap endpoint, long enough to go past the token's
    limit: the 200s must stop at the limit, shared by every worker through Redis, and every
    other answer be a 429."""
    offset = log_end(server.access_log)
    run = wrk(server.port, path, header, SECONDS)
    time.sleep(1)
    counted, _ = statuses(server.access_log, offset, path)
    run["ok"], run["throttled"] = counted.get("200", 0), counted.get("429", 0)
    run["errors"] = sum(n for s, n in counted.items() if s not in ("200", "429"))
    run["errors"] += run.pop("socket_errors")
    run["limit"] = TOKEN_LIMIT
    return run
