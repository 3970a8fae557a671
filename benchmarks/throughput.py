"""Requests per second under load: gunicorn with several workers on loopback, driven by a client
of threads with keep-alive connections (``drive``).

gunicorn runs with the production configuration (``tsoc_tracker/gunicorn_conf.py``) against a
bench database, with the cache and the API's rate limits in Redis (``BENCH_REDIS_URL``) as in
production, on a port the system gives it at start (or ``BENCH_PORT``); the client is bounded in
time and connections and only ever aims at 127.0.0.1.

Errors are counted from gunicorn's own access log (every response to the page other than a 200,
so a redirect to the sign-in page counts too) plus the client's connection errors and timeouts.
wrk lost the dashboard's large pages (0 requests counted), so the client reads every response
whole itself.
"""

import contextlib
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

WORKERS = 4
CONNECTIONS, SECONDS, RUNS = 8, 10, 3
WARM_UP_SECONDS = 5
PAST_LIMIT_RUNS = 6  # runs of SECONDS with the token past its limit, until a 429
# Rates for the run: browser sessions (the page runs) unthrottled, so the figures are the pages'
# cost; tokens at a limit one run stays under and another, on a cheap endpoint, goes past.
TOKEN_RATE, TOKEN_LIMIT = "600/hour", 600
SESSION_RATE = "10000000/hour"
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


def drive(port: int, path: str, header: str, duration: int) -> dict:
    """``CONNECTIONS`` keep-alive connections asking for ``path`` back to back for ``duration``
    seconds, each in its own thread, reading every response whole (wrk dropped large pages):
    requests, requests per second, the median and 99th percentile of the response times, and
    the connections' errors and timeouts. The statuses come from gunicorn's access log."""
    name, _, value = header.partition(": ")
    headers = {name: value, "Connection": "keep-alive"}
    deadline = time.monotonic() + duration
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                mine.append(time.perf_counter() - started)
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException):
                with lock:
                    failures[0] += 1
                connection.close()
        connection.close()
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 60)
    elapsed = time.monotonic() - started
    latencies.sort()

    def percentile(share: float) -> float:
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))] if latencies else 0

    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": percentile(0.5),
        "p99": percentile(0.99),
        "socket_errors": failures[0],
    }


def load(server: Server, path: str, header: str, *, runs: int = RUNS) -> list[dict]:
    """``runs`` bounded runs of ``drive`` against one page, after an untimed warm-up run that
    gets every worker's connections and caches going; the page must answer 200 before anything
    starts. ``header`` is the session cookie or the token (``Authorization: Token …``)."""
    status = get_status(server.port, path, header)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status} before the load test, not 200")
    drive(server.port, path, header, WARM_UP_SECONDS)
    time.sleep(1)  # the access log written out
    offset = log_end(server.access_log)
    results = []
    for _ in range(runs):
        run = drive(server.port, path, header, SECONDS)
        time.sleep(1)
        counted, offset = statuses(server.access_log, offset, path)
        run["errors"] = sum(n for status, n in counted.items() if status != "200")
        run["errors"] += run.pop("socket_errors")
        run["throttled"] = counted.get("429", 0)
        results.append(run)
    return results


def past_the_limit(server: Server, path: str, header: str) -> dict:
    """A fresh token on a cheap endpoint, driven in runs of ``SECONDS`` until its first 429
    (at most ``PAST_LIMIT_RUNS`` runs): the 200s must stop at the token's limit, shared by every
    worker through Redis, and every other answer be a 429."""
    offset = log_end(server.access_log)
    run = {"requests": 0, "socket_errors": 0, "seconds": 0}
    for _ in range(PAST_LIMIT_RUNS):
        piece = drive(server.port, path, header, SECONDS)
        run["requests"] += piece["requests"]
        run["socket_errors"] += piece["socket_errors"]
        run["seconds"] += SECONDS
        time.sleep(1)
        counted, _ = statuses(server.access_log, offset, path)
        if counted.get("429"):
            break
    run["ok"], run["throttled"] = counted.get("200", 0), counted.get("429", 0)
    run["errors"] = sum(n for s, n in counted.items() if s not in ("200", "429"))
    run["errors"] += run.pop("socket_errors")
    run["limit"] = TOKEN_LIMIT
    return run
