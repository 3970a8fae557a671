"""Search: one box over actions, returns and success measures, through the same visibility rules
as every page, highlighted safely, filtered, and bounded.

The world is ``small_plan`` (reports_setup.py): Customs leads 1 and 3a and supports 2; Police
leads 2, 3a and 3b. Police's draft return on 3b is the one Customs' people may not see.
"""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from actions.models import Action, SuccessMeasure
from reporting.models import Comment, Risk, StatusUpdate, Withholding
from reporting.search import engine
from reporting.search.registry import _KINDS, SearchField, SearchKind, register
from tests.actions.factories import ActionAgencyFactory, ActionFactory
from tests.reporting.factories import StatusUpdateFactory
from tests.reporting.reports_setup import small_plan

pytestmark = pytest.mark.django_db

CAST = ("outsider", "viewer", "contributor", "lead", "other_lead", "secretariat_user")
SECRET = "Informant network near Tauranga"


@pytest.fixture
def world(agency, other_agency):
    setup = small_plan(agency, other_agency)
    # Every return mentions smuggling; one only Police may read says more (on an action only
    # Police coordinates: Customs reads all of action 3, 3b included, since it coordinates 3a).
    StatusUpdate.objects.update(risks="Cash smuggling continues.")
    police_only = ActionFactory(plan=setup.plan, number="9", title="Police alone")
    ActionAgencyFactory(action=police_only, agency=other_agency)
    StatusUpdateFactory(
        action=police_only,
        agency=other_agency,
        period=setup.period,
        state="draft",
        risks="Cash smuggling continues.",
        commentary=f"{SECRET}: smuggling routes.",
    )
    SuccessMeasure.objects.create(
        action=setup.actions["1"], statement="Fewer cash smuggling attempts at the border"
    )
    hidden = StatusUpdate.objects.get(action=police_only)
    Comment.post(hidden, kind="comment", body="Where do the smuggling routes run?", by=None)
    risk = Risk.objects.create(
        plan=setup.plan,
        title="Smuggling moves to the Police-only route",
        owner_agency=other_agency,
        likelihood=3,
        consequence_rating=4,
        residual_likelihood=2,
        residual_consequence=3,
        review_on=datetime.date(2026, 12, 31),
    )
    risk.actions.add(police_only)
    return setup


def hits(user, text, **filters):
    return {(hit.kind.key, hit.pk) for hit in engine.find(user, text, filters=filters).hits}


def search_page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("reporting:search"), params)


def test_search_never_returns_a_return_the_searcher_may_not_see(request, world):
    for role in CAST:
        user = request.getfixturevalue(role)
        visible = set(StatusUpdate.objects.visible_to(user).values_list("pk", flat=True))
        found = {pk for kind, pk in hits(user, "smuggling") if kind == "return"}

        assert found == visible, role


def test_every_kind_answers_only_with_what_its_rule_lets_the_searcher_see(request, world):
    for role in CAST:
        user = request.getfixturevalue(role)
        allowed = (
            {("action", pk) for pk in Action.objects.visible_to(user).values_list("pk", flat=True)}
            | {
                ("return", pk)
                for pk in StatusUpdate.objects.visible_to(user).values_list("pk", flat=True)
            }
            | {
                ("measure", pk)
                for pk in SuccessMeasure.objects.filter(
                    action__in=Action.objects.visible_to(user)
                ).values_list("pk", flat=True)
            }
            | {
                ("comment", pk)
                for pk in Comment.objects.visible_to(user).values_list("pk", flat=True)
            }
            | {("risk", pk) for pk in Risk.objects.visible_to(user).values_list("pk", flat=True)}
        )
        found = hits(user, "smuggling") | hits(user, "border")

        assert found <= allowed, role
        assert (role == "outsider") == (found == set()), role


def test_comments_and_risks_are_found_by_those_who_may_read_them(world, other_lead, lead):
    assert {kind for kind, _ in hits(other_lead, "smuggling")} >= {"comment", "risk"}
    assert {kind for kind, _ in hits(lead, "smuggling")}.isdisjoint({"comment", "risk"})


def test_text_of_a_return_customs_may_not_read_is_not_on_its_search_page(client, world, lead):
    page = search_page(client, lead, q="Tauranga").content.decode()

    assert "Informant" not in page and "smuggling routes" not in page
    assert "Nothing you can see matches" in page


def test_police_find_their_own_draft_with_the_words_marked(client, world, other_lead):
    page = search_page(client, other_lead, q="Tauranga").content.decode()

    assert "Police’s return on TSOC 9, Q1 2026/27" in page
    assert "<mark>Tauranga</mark>" in page


def test_matched_text_is_escaped_and_only_the_marks_are_markup(client, world, secretariat_user):
    StatusUpdate.objects.filter(pk=world.updates[("1", "customs", "2026-Q3")].pk).update(
        commentary='<script>alert("x")</script> <b>cash</b> seized at Auckland'
    )
    page = search_page(client, secretariat_user, q="Auckland").content.decode()

    assert "<script>alert" not in page and "<b>cash" not in page
    assert "<mark>Auckland</mark>" in page
    if connection.vendor == "sqlite":  # PostgreSQL's headline drops what looks like tags
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;b&gt;cash&lt;/b&gt;" in page


def test_an_action_is_found_by_its_number_and_plan_code(world, viewer):
    action_1 = ("action", world.actions["1"].pk)

    assert action_1 in hits(viewer, "1")
    assert hits(viewer, "TSOC 2") >= {("action", world.actions["2"].pk)}
    assert action_1 not in hits(viewer, "TSOC 2")


def test_the_filters_narrow_returns(world, secretariat_user, agency, other_agency):
    q3, q2 = world.period, world.previous
    u = world.updates

    police_q3 = StatusUpdate.objects.filter(agency=other_agency, period=q3)
    found = hits(secretariat_user, "smuggling", agency=other_agency, period=q3)
    assert {hit for hit in found if hit[0] == "return"} == {
        ("return", pk) for pk in police_q3.values_list("pk", flat=True)
    }
    assert police_q3.count() == 4  # 2, 3a, 3b and 9
    assert hits(secretariat_user, "smuggling", status="at_risk", period=q2) == {
        ("return", u[(n, a, "2026-Q2")].pk) for n, a in (("1", "customs"), ("2", "police"))
    }
    assert hits(secretariat_user, "smuggling", status="off_track") == {
        ("return", u[("3a", "customs", "2026-Q3")].pk)
    }


def test_plan_and_agency_narrow_actions_and_measures_too(world, viewer, agency):
    found = hits(viewer, "border", plan=world.plan, agency=agency)

    assert ("action", world.actions["1"].pk) in found
    assert any(kind == "measure" for kind, _ in found)
    assert ("action", world.actions["3b"].pk) in hits(viewer, "Search law")
    assert ("action", world.actions["3b"].pk) not in hits(viewer, "Search law", agency=agency)


def test_a_status_filter_finds_actions_by_their_status_by_the_status_rule(world, viewer):
    found = {pk for kind, pk in hits(viewer, "border", status="on_track") if kind == "action"}

    assert found == {world.actions["1"].pk}  # Customs' submitted return: on track in Q3


def test_a_period_leaves_out_what_has_no_period_and_says_so(client, world, viewer):
    page = search_page(client, viewer, q="border", period="2026-Q3").content.decode()

    assert "Actions left out: they have no period to filter by." in page
    assert "Success measures left out: they have no period to filter by." in page


def test_a_filter_that_matches_nothing_offers_the_search_without_it(client, world, viewer):
    page = search_page(client, viewer, q="smuggling", status="discontinued").content.decode()

    assert "with these filters" in page
    assert "?q=smuggling" in page


def test_an_unknown_filter_value_is_an_error_by_its_field(client, world, viewer):
    response = search_page(client, viewer, q="cash", period="Q9 2026")

    assert "There is a problem" in response.content.decode()
    assert "Period:" in response.content.decode()


def test_with_no_words_the_page_says_what_can_be_searched(client, world, viewer):
    page = search_page(client, viewer).content.decode()

    assert "An action's number finds it" in page


def test_results_are_capped_and_the_page_says_so(client, world, viewer, settings):
    settings.SEARCH_RESULT_CAP = 3
    found = engine.find(viewer, "smuggling", filters={})
    page = search_page(client, viewer, q="smuggling").content.decode()

    assert len(found.hits) == 3 and found.capped
    assert "More than 3 results" in page


def test_results_come_in_pages(client, world, viewer, monkeypatch):
    monkeypatch.setattr("reporting.search.views.RESULTS_PER_PAGE", 2)
    first = search_page(client, viewer, q="smuggling").content.decode()
    second = search_page(client, viewer, q="smuggling", page=2).content.decode()

    assert first.count('class="search-result"') == 2
    assert 'rel="next"' in first
    assert second.count('class="search-result"') == 2


def test_the_secretariat_sees_which_found_text_is_withheld_and_its_marking(
    client, world, secretariat_user, viewer
):
    update = world.updates[("1", "customs", "2026-Q3")]
    Withholding.objects.create(update=update, field="risks", ground="6(c)")

    for_secretariat = search_page(client, secretariat_user, q="smuggling").content.decode()
    for_viewer = search_page(client, viewer, q="smuggling").content.decode()

    assert "IN CONFIDENCE: withheld from public release under s 6(c)" in for_secretariat
    assert "withheld from public release" not in for_viewer


def test_the_header_has_a_search_box_on_every_page(client, world, lead):
    client.force_login(lead)
    page = client.get(reverse("reporting:my_actions")).content.decode()

    assert 'role="search"' in page and f'action="{reverse("reporting:search")}"' in page


def test_the_api_answers_with_the_same_results(client, world, other_lead, lead):
    client.force_login(other_lead)
    body = client.get("/api/v1/search/", {"q": "Tauranga"}).json()
    client.force_login(lead)
    refused = client.get("/api/v1/search/", {"q": "Tauranga"}).json()

    assert body["count"] == 1
    assert body["results"][0]["kind"] == "return"
    assert "<mark>Tauranga</mark>" in body["results"][0]["matches"][0]["highlight"]
    assert refused["count"] == 0


def test_the_api_refuses_a_search_without_words_in_its_error_shape(client, world, viewer):
    client.force_login(viewer)
    response = client.get("/api/v1/search/", {"q": " ", "status": "nonsense"})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"status"} or "q" in response.json()["errors"]


def test_a_new_kind_is_one_registration(world, viewer):
    kind = SearchKind(
        key="test-plan-titles",
        label="Plans",
        visible=lambda user: world.plan.__class__.objects.visible_to(user),
        fields=(SearchField("title", "Title", whole=True),),
        heading=str,
        url=lambda plan: plan.get_absolute_url(),
    )
    register(kind)
    try:
        assert ("test-plan-titles", world.plan.pk) in hits(viewer, "Action Plan")
    finally:
        del _KINDS[kind.key]


# PostgreSQL: full-text search, and its time limit ------------------------------------------


@pytest.mark.postgres
def test_full_text_search_finds_other_forms_of_a_word(world, viewer):
    assert ("action", world.actions["2"].pk) in hits(viewer, "launder")  # "laundering"
    assert hits(viewer, '"cash smuggling" -border') >= {
        ("return", pk) for pk in StatusUpdate.objects.values_list("pk", flat=True)
    }


@pytest.mark.postgres
def test_a_search_past_its_time_limit_stops_and_says_so(client, world, viewer, settings):
    settings.SEARCH_TIME_LIMIT_MS = 50
    slow = SearchKind(
        key="slow",
        label="Slow",
        visible=lambda user: StatusUpdate.objects.extra(where=["pg_sleep(0.2) IS NOT NULL"]),
        fields=(SearchField("commentary", "Commentary"),),
        heading=str,
        url=lambda update: "/",
    )
    register(slow)
    try:
        found = engine.find(viewer, "smuggling", filters={})
        page = search_page(client, viewer, q="smuggling").content.decode()
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            after = cursor.fetchone()[0]
    finally:
        del _KINDS[slow.key]

    assert found.timed_out and found.hits == []
    assert "The search took too long" in page
    assert after != "50ms"  # the limit was for the search, not the rest of the request
