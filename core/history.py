"""Who the history records a change as made by, when there is no request to ask.

django-simple-history names the signed-in person of the request (its middleware); a command, a
task or a service called from the shell says who it acts for with ``recorded_as(user)``, so every
row it saves or deletes inside the block is attributed to them.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

from simple_history.models import HistoricalRecords


@contextmanager
def recorded_as(user) -> Iterator[None]:
    """Attribute the history of every change inside the block to ``user`` (None: nobody)."""
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user) if user is not None else previous
    try:
        yield
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous
