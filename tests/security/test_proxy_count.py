"""Sign-in throttling that a stranger can't turn against a named person: failures count per
username *and* address, the address is the user's (not the proxy's) when TRUSTED_PROXY_COUNT is
right, and the log says so from the first request when it isn't."""

import logging

import pytest

from core.proxies import ProxyCheckMiddleware, client_address, forwarded_hops, proxy_mismatch

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
PROXY = "10.0.0.2"


@pytest.fixture
def behind_one_proxy(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.TRUSTED_PROXY_COUNT = 1


def sign_in(client, username, password, *, user_address):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=user_address,
    )


def test_a_stranger_behind_the_same_proxy_cannot_lock_a_named_person_out(
    client, lead, behind_one_proxy
):
    for _ in range(6):
        sign_in(client, lead.username, "wrong", user_address="203.0.113.66")

    response = sign_in(client, lead.username, PASSWORD, user_address="198.51.100.7")

    assert response.status_code == 302


def test_the_stranger_is_still_locked_out_at_their_own_address(client, lead, behind_one_proxy):
    for _ in range(5):
        sign_in(client, lead.username, "wrong", user_address="203.0.113.66")

    response = sign_in(client, lead.username, PASSWORD, user_address="203.0.113.66")

    assert response.status_code == 429


class Request:
    def __init__(self, forwarded=None):
        self.META = {"REMOTE_ADDR": PROXY}
        if forwarded:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


@pytest.mark.parametrize(
    ("trusted", "header", "address"),
    [
        (0, "203.0.113.66", PROXY),  # no proxy trusted: the connection's address
        (1, "203.0.113.66", "203.0.113.66"),
        (1, "6.6.6.6, 203.0.113.66", "203.0.113.66"),  # the client wrote 6.6.6.6 itself
        (2, "6.6.6.6, 203.0.113.66, 10.0.0.9", "203.0.113.66"),
        (2, "203.0.113.66", PROXY),  # fewer addresses than proxies: not trusted
        (1, None, PROXY),
    ],
)
def test_the_address_counted_is_the_one_the_outermost_trusted_proxy_saw(
    settings, trusted, header, address
):
    settings.TRUSTED_PROXY_COUNT = trusted

    assert client_address(Request(header)) == address


@pytest.mark.parametrize(
    ("header", "hops"), [(None, 0), ("203.0.113.66", 1), ("203.0.113.66, 10.0.0.9", 2)]
)
def test_the_hops_are_the_addresses_in_x_forwarded_for(header, hops):
    assert forwarded_hops(Request(header)) == hops


@pytest.mark.parametrize(
    ("trusted", "hops", "wrong"),
    [(0, 0, False), (0, 1, True), (1, 1, False), (1, 0, True), (2, 1, True), (1, 2, False)],
)
def test_the_count_is_wrong_when_it_misses_a_proxy_or_trusts_one_that_isnt_there(
    trusted, hops, wrong
):
    assert (proxy_mismatch(trusted, hops) is not None) is wrong


def test_a_proxy_the_count_leaves_out_is_logged_once_as_an_error_saying_what_to_set(
    settings, caplog
):
    settings.TRUSTED_PROXY_COUNT = 0
    check = ProxyCheckMiddleware(lambda request: "page")

    with caplog.at_level(logging.INFO, logger="core.proxies"):
        for _ in range(3):
            assert check(Request("203.0.113.66")) == "page"

    [record] = caplog.records
    assert record.levelno == logging.ERROR
    assert "TRUSTED_PROXY_COUNT is 0" in record.getMessage()
    assert "anyone can lock a named person out" in record.getMessage()


def test_a_count_with_no_proxy_in_front_is_logged(settings, caplog):
    settings.TRUSTED_PROXY_COUNT = 1
    check = ProxyCheckMiddleware(lambda request: "page")

    with caplog.at_level(logging.INFO, logger="core.proxies"):
        check(Request())

    assert "TRUSTED_PROXY_COUNT is 1" in caplog.text


def test_a_count_that_matches_logs_nothing(settings, caplog):
    settings.TRUSTED_PROXY_COUNT = 1
    with caplog.at_level(logging.INFO, logger="core.proxies"):
        ProxyCheckMiddleware(lambda request: "page")(Request("203.0.113.66"))

    assert caplog.records == []


def test_the_check_runs_on_every_page_from_start_up(client, settings, caplog):
    settings.TRUSTED_PROXY_COUNT = 0
    with caplog.at_level(logging.INFO, logger="core.proxies"):
        client.get("/accounts/login/", HTTP_X_FORWARDED_FOR="203.0.113.66")

    assert "TRUSTED_PROXY_COUNT is 0" in caplog.text
