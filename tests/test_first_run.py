"""A new user's first ten minutes: `make run PORT=…` serves where asked and email links follow,
the sign-in page names the demo accounts (in demo mode only), every page has the favicon and
the product's name in its title."""

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.request import urlopen

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from reporting.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

ROOT = Path(__file__).resolve().parent.parent
needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def make_dry_run(*args: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST", "PORT")}
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", *args],
        cwd=ROOT,
        env=environment | env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@needs_make
def test_make_run_serves_on_the_port_and_host_given():
    commands = make_dry_run("run", "PORT=8010")
    assert "manage.py runserver 127.0.0.1:8010" in commands
    assert "RUN_PORT=8010" in commands

    commands = make_dry_run("run", "HOST=0.0.0.0", "PORT=9000")
    assert "manage.py runserver 0.0.0.0:9000" in commands


@needs_make
def test_make_run_serves_on_8000_by_default():
    assert "manage.py runserver 127.0.0.1:8000" in make_dry_run("run")


def settings_under(**env: str) -> str:
    """SITE_URL and ALLOWED_HOSTS as the settings work them out from this environment."""
    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "ALLOWED_HOSTS")}
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SITE_URL, settings.ALLOWED_HOSTS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment | {"DJANGO_SETTINGS_MODULE": "tsoc_tracker.settings", "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_email_links_follow_the_port_make_run_serves_on():
    assert settings_under(RUN_PORT="8010").startswith("http://127.0.0.1:8010 ")
    assert settings_under().startswith("http://127.0.0.1:8000 ")


def test_a_host_make_run_serves_on_is_an_allowed_host():
    assert "'tsoc.local'" in settings_under(RUN_HOST="tsoc.local", RUN_PORT="8010")


def test_a_site_url_that_is_set_wins_over_the_port():
    out = settings_under(RUN_PORT="8010", SITE_URL="https://tsoc.example.govt.nz/")
    assert out.startswith("https://tsoc.example.govt.nz ")


@needs_make
def test_make_names_the_python_it_needs_when_given_one_that_does_not_fit(tmp_path):
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    python310 = tmp_path / "python3.10"  # answers the version check as Python 3.10 would
    python310.write_text("#!/bin/sh\nexit 1\n")
    python310.chmod(0o755)

    result = subprocess.run(
        ["make", "install", f"PYTHON={python310}"], cwd=tmp_path, capture_output=True, text=True
    )

    assert result.returncode != 0
    assert f"needs Python 3.11 or 3.12, and {python310} is not one" in result.stdout
    assert "make run PYTHON=/path/to/python3.12" in result.stdout
    assert not (tmp_path / ".venv").exists()


@needs_make
def test_make_finds_a_python_that_fits_without_being_told():
    [python] = re.findall(r"\|\| (\S+) -m venv \.venv", make_dry_run("-B", "install"))
    version = subprocess.run(
        [python, "-c", "import sys; print(sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert version.strip() in ("(3, 11)", "(3, 12)")


# --- the sign-in page ------------------------------------------------------------------------


@pytest.fixture
def demo_loaded(db):
    call_command("load_plans", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())


@override_settings(DEBUG=True)
def test_in_demo_mode_the_sign_in_page_lists_the_demo_accounts(client, demo_loaded):
    page = client.get(reverse("login")).content.decode()

    assert "Demo accounts" in page and DEMO_PASSWORD in page
    for username, *_ in DEMO_ACCOUNTS:
        assert f"<code>{username}</code>" in page
    assert "Reviews returns, opens and closes periods, builds reports" in page
    assert "Writes and submits Police&#x27;s returns" in page


def test_in_production_the_sign_in_page_shows_no_demo_accounts(client, demo_loaded):
    page = client.get(reverse("login")).content.decode()  # DEBUG is off, as in production

    assert "Demo accounts" not in page and DEMO_PASSWORD not in page


@override_settings(DEBUG=True)
def test_without_demo_data_the_sign_in_page_shows_no_demo_accounts(client, db):
    page = client.get(reverse("login")).content.decode()

    assert "Demo accounts" not in page and DEMO_PASSWORD not in page


@override_settings(DEBUG=True)
def test_a_demo_account_on_the_sign_in_page_signs_in(client, demo_loaded):
    response = client.post(reverse("login"), {"username": "police.lead", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("reporting:my_actions")).status_code == 200


# --- favicon and titles ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_favicon_is_served(live_server):
    with urlopen(f"{live_server.url}/accounts/login/") as response:
        page = response.read().decode()
    [href] = re.findall(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)

    with urlopen(f"{live_server.url}{href}") as icon:
        assert icon.status == 200 and b"<svg" in icon.read()
    with urlopen(f"{live_server.url}/favicon.ico") as icon:  # follows the redirect
        assert icon.status == 200 and icon.url.endswith("favicon.svg")


@pytest.mark.parametrize(
    "url",
    ["/accounts/login/", "/accounts/password_reset/", "/no-such-page/", "/admin/login/"],
)
def test_pages_before_sign_in_have_the_product_in_their_title(client, db, url):
    page = client.get(url, follow=True).content.decode()  # the admin's sign-in is ours
    [title] = re.findall(r"<title>(.*?)</title>", page, flags=re.S)
    assert "TSOC Tracker" in title


@pytest.mark.parametrize(
    "name",
    ["reporting:my_actions", "reporting:period_list", "reporting:report_list", "actions:plan_list"],
)
def test_every_signed_in_page_title_ends_with_the_product_name(
    client_for, secretariat_user, demo_loaded, name
):
    page = client_for(secretariat_user).get(reverse(name), follow=True).content.decode()
    [title] = re.findall(r"<title>(.*?)</title>", page, flags=re.S)
    assert title.strip().endswith("— TSOC Tracker")
    assert title.strip() != "TSOC Tracker — TSOC Tracker"
