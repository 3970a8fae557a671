"""One bench data set, measured in-process: build it, then count queries and time operations.

``benchmarks.run`` starts this as ``python -m benchmarks.measure <size|seed> <database-url>
<out.json>``, one process per data set, because Django's database settings are fixed once it
starts. The database is dropped and created afresh, migrated, filled, then measured; the figures
are written to ``out.json`` as raw samples (seconds) for the orchestrator to summarise.

A feature that isn't in the tree yet is recorded as missing, never given a number.
"""

import io
import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

RUNS = 5
PDF_RUNS = 3


class Missing(Exception):
    """The feature to measure is not in the tree (yet)."""


def progress(label: str, message: str) -> None:
    print(f"[bench {label}] {message}", flush=True)


def recreate_database(url: str) -> None:
    """Drop and create the database ``url`` names, through the server's ``postgres`` database."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def timed(operation: Callable[[], object], runs: int = RUNS) -> list[float]:
    """Seconds per run, after one untimed warm-up run (connections, template and URL caches)."""
    operation()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        operation()
        samples.append(time.perf_counter() - started)
    return samples


def reverse_or_missing(name: str, **kwargs) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch as error:
        raise Missing(f"no URL named {name!r}") from error


def get_ok(client, url: str):
    """GET ``url`` and insist on a 200: a redirect or an error page is not the page measured."""
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}, not 200")
    return response


def count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    get_ok(client, url)
    with CaptureQueriesContext(connection) as captured:
        get_ok(client, url)
    return len(captured)


def pdf_pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


class Recorder:
    """Collects figures; a missing feature is kept as the reason instead of a number."""

    def __init__(self, label: str):
        self.label = label
        self.figures: dict[str, object] = {}
        self.missing: dict[str, str] = {}
        self.errors: dict[str, str] = {}

    def record(self, key: str, measure: Callable[[], object]) -> None:
        progress(self.label, f"measuring {key}")
        try:
            self.figures[key] = measure()
        except Missing as reason:
            self.missing[key] = f"feature missing: {reason}"
            progress(self.label, f"not measured: {key} (feature missing: {reason})")
        except Exception as error:  # one broken page must not stop the other measurements
            traceback.print_exc()
            self.errors[key] = f"{type(error).__name__}: {error}"
            progress(self.label, f"ERROR measuring {key}: {error}")

    def result(self, **extra) -> dict:
        return {
            "size": self.label,
            "figures": self.figures,
            "missing": self.missing,
            "errors": self.errors,
            **extra,
        }


# The synthetic data sets -------------------------------------------------------------------


def page_urls(data: dict) -> dict[str, tuple[str, Callable[[], str]]]:
    """Each page measured for query counts: who reads it and where it is."""
    plan = data["plans"][0]
    return {
        "plan page": (
            "secretariat",
            lambda: reverse_or_missing("actions:plan_detail", slug=plan.slug),
        ),
        "action page": (
            "lead",
            lambda: reverse_or_missing("actions:action_detail", plan=plan.slug, number="1"),
        ),
    }


def measure_size(size: int) -> dict:
    from django.conf import settings
    from django.test import Client

    from benchmarks import synthetic

    label = str(size)
    progress(label, f"building the synthetic programme ({size} actions)")
    started = time.perf_counter()
    data = synthetic.build(size)
    progress(
        label,
        f"built {data['actions']} actions, {data['updates']} updates "
        f"in {time.perf_counter() - started:.1f}s",
    )
    clients = {}
    for role in ("secretariat", "lead", "viewer"):
        clients[role] = Client()
        clients[role].force_login(data[role])

    recorder = Recorder(label)
    paths, missing = {}, {}
    for page, (role, url) in page_urls(data).items():
        try:
            paths[page] = url()
        except Missing as reason:
            missing[page] = f"feature missing: {reason}"
        recorder.record(
            f"queries: {page}", lambda role=role, url=url: count_queries(clients[role], url())
        )
    # For the load test: a secretariat session and where the pages are.
    cookie = clients["secretariat"].cookies[settings.SESSION_COOKIE_NAME]
    load = {"cookie": f"{cookie.key}={cookie.value}", "paths": paths, "missing": missing}
    return recorder.result(load=load)


# The seed plans ----------------------------------------------------------------------------


def measure_seed() -> dict:
    from django.core.management import call_command

    progress("seed", "loading the seed plans and demo data")
    call_command("load_plans", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    recorder = Recorder("seed")
    return recorder.result()


def main(argv: list[str]) -> None:
    target, url, out = argv
    label = target
    progress(label, f"creating {urlsplit(url).path.lstrip('/')} and migrating")
    recreate_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    result = measure_seed() if target == "seed" else measure_size(int(target))
    Path(out).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
