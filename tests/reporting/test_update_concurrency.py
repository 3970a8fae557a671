"""No lost updates, proved on the real database with two connections writing at once.

The first writer holds its transaction open until the database shows the second writer waiting
on its lock; only then does it commit. The second writer read the update before the first one
committed, so only the database's own check (the version in the UPDATE's WHERE clause, the
unique constraint on a new update) can refuse it — and it must.
"""

import threading
import time

import pytest
from django.db import connection, transaction

from reporting.models import StatusUpdate
from reporting.models.updates import StaleUpdateError
from reporting.returns import services
from tests.reporting.factories import StatusUpdateFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def someone_waits_for_me() -> bool:
    """Whether another session is blocked by a lock this connection's transaction holds."""
    with connection.cursor() as cursor:
        cursor.execute(
            # pg_locks is live; pg_stat_activity would be a snapshot for the whole transaction.
            "SELECT EXISTS (SELECT 1 FROM pg_locks"
            " WHERE NOT granted AND pg_backend_pid() = ANY (pg_blocking_pids(pid)))"
        )
        return cursor.fetchone()[0]


def wait_until_blocking_someone() -> None:
    for _ in range(3000):
        if someone_waits_for_me():
            return
        time.sleep(0.01)
    raise AssertionError("The second writer never waited for the first one's lock.")


def race(first_write, second_write):
    """Run ``first_write`` in a transaction held open until ``second_write`` (in another
    thread and connection) is blocked by it; return what each returned or raised."""
    first_has_written = threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                outcome["first"] = first_write()
                first_has_written.set()
                wait_until_blocking_someone()
        except Exception as error:  # reported by the test's assertions
            outcome["first"] = error
            first_has_written.set()
        finally:
            connection.close()

    def second():
        try:
            first_has_written.wait(timeout=30)
            outcome["second"] = second_write()
        except Exception as error:
            outcome["second"] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcome["first"], outcome["second"]


def test_the_second_of_two_simultaneous_saves_is_refused(lead, contributor, agency, action, period):
    update = StatusUpdateFactory(action=action, agency=agency, period=period, state="draft")
    leads_copy = StatusUpdate.objects.get(pk=update.pk)
    contributors_copy = StatusUpdate.objects.get(pk=update.pk)

    saved, refused = race(
        lambda: services.change_update(
            contributors_copy,
            data={"commentary": "Contributor"},
            by=contributor,
            expected_version=1,
        ),
        lambda: services.change_update(
            leads_copy, data={"commentary": "Lead"}, by=lead, expected_version=1
        ),
    )

    assert isinstance(saved, StatusUpdate)
    assert isinstance(refused, StaleUpdateError)
    assert (refused.current.commentary, refused.current.version) == ("Contributor", 2)
    update.refresh_from_db()
    assert (update.commentary, update.version, update.updated_by) == ("Contributor", 2, contributor)
    assert update.history.count() == 2  # created, then the one save that went through


def test_the_second_of_two_people_starting_the_same_update_is_refused(
    lead, contributor, agency, action, period
):
    def start(user, words):
        return lambda: services.start_update(
            action, period, agency, data={"status": "on_track", "commentary": words}, by=user
        )

    started, refused = race(start(contributor, "Contributor"), start(lead, "Lead"))

    assert isinstance(started, StatusUpdate)
    assert isinstance(refused, StaleUpdateError)
    assert refused.current.commentary == "Contributor"
    assert StatusUpdate.objects.get().commentary == "Contributor"
