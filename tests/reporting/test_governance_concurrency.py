"""Two people linking actions in opposite directions at the same moment, on PostgreSQL: the
table lock around the loop check lets one link in and refuses the other, so no loop forms."""

import threading

import pytest
from django.db import connection

from reporting.governance import services
from reporting.models import ActionDependency
from reporting.models.governance import CycleError
from tests.actions.factories import ActionFactory, ActionPlanFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_opposite_links_made_at_once_never_form_a_loop(secretariat_user):
    plan = ActionPlanFactory(slug="race")
    first, second = ActionFactory(plan=plan, number="1"), ActionFactory(plan=plan, number="2")
    start = threading.Barrier(2)
    outcomes = []

    def link(action, depends_on):
        try:
            start.wait()
            services.link_actions(action, depends_on, secretariat_user)
            outcomes.append("linked")
        except CycleError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=link, args=(first, second)),
        threading.Thread(target=link, args=(second, first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["linked", "refused"]
    assert ActionDependency.objects.count() == 1
