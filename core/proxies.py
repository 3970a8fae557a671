"""Is ``TRUSTED_PROXY_COUNT`` right for the requests that arrive? Sign-in throttling counts
failures per username *and* address; if the app takes the proxy's address for everyone's (the
count is 0 behind a proxy), a stranger's wrong passwords lock a named person out wherever they
are. If it trusts more proxies than there are, the client writes its own address.

``ProxyCheckMiddleware`` compares the setting with the ``X-Forwarded-For`` header of the requests
it sees from start-up on, and logs an error, once per process for each kind of mismatch, saying
what to set (docs/operations.md, "The reverse proxy")."""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)


def forwarded_hops(request: HttpRequest) -> int:
    """How many addresses the proxies in front wrote into ``X-Forwarded-For``."""
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return len([entry for entry in header.split(",") if entry.strip()])


def client_address(request: HttpRequest) -> str | None:
    """The address of the person, for sign-in throttling (``AXES_CLIENT_IP_CALLABLE``): each of
    the ``TRUSTED_PROXY_COUNT`` proxies in front appends the address it was reached from to
    ``X-Forwarded-For``, so the person's is the count-th from the end. Anything further left
    was written by the client and is not trusted. Without proxies, or with fewer addresses than
    proxies, the address the connection came from."""
    trusted = settings.TRUSTED_PROXY_COUNT
    entries = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if trusted and len(entries) >= trusted:
        return entries[-trusted]
    return request.META.get("REMOTE_ADDR")


def proxy_mismatch(trusted: int, hops: int) -> str | None:
    """What is wrong with trusting ``trusted`` proxies for a request that came through
    ``hops``, or None."""
    if trusted == 0 and hops > 0:
        return (
            f"Requests arrive through a proxy (X-Forwarded-For holds {hops} address"
            f"{'es' if hops > 1 else ''}) but TRUSTED_PROXY_COUNT is 0: every sign-in is "
            "counted against the proxy's address, so anyone can lock a named person out. Set "
            "TRUSTED_PROXY_COUNT to the number of proxies in front (docs/operations.md)."
        )
    if trusted > hops:
        return (
            f"TRUSTED_PROXY_COUNT is {trusted} but a request came with {hops} X-Forwarded-For "
            "address(es): the app would take an address the client wrote for its own, or the "
            "proxy's. Set TRUSTED_PROXY_COUNT to the number of proxies in front, and make the "
            "outermost one overwrite X-Forwarded-For (docs/operations.md)."
        )
    return None


class ProxyCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.reported: set[str] = set()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = proxy_mismatch(settings.TRUSTED_PROXY_COUNT, forwarded_hops(request))
        if problem and problem not in self.reported:
            self.reported.add(problem)
            logger.error(problem)
        return self.get_response(request)
