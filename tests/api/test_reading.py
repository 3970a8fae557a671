"""Every endpoint, for every kind of caller: what each may read, starting from the same
visibility rules as the browser."""

import pytest

from tests.api.helpers import assert_error, by_reference, results

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/actions/",
    "/api/v1/status-updates/",
    "/api/v1/periods/",
    "/api/v1/plans/",
    "/api/v1/strategies/",
    "/api/v1/priority-areas/",
    "/api/v1/focus-areas/",
    "/api/v1/agencies/",
    "/api/v1/indicator-readings/",
]
ROLES_WITH_ACCESS = ["secretariat_user", "viewer", "lead", "contributor", "other_lead"]


def detail_urls(world) -> list[str]:
    plan = world["plan"]
    return [
        f"/api/v1/actions/{world['one'].pk}/",
        f"/api/v1/status-updates/{world['accepted'].pk}/",
        f"/api/v1/periods/{world['current'].pk}/",
        f"/api/v1/plans/{plan.pk}/",
        f"/api/v1/strategies/{plan.strategy_id}/",
        f"/api/v1/priority-areas/{world['prevent'].pk}/",
        f"/api/v1/focus-areas/{world['border'].pk}/",
        f"/api/v1/agencies/{world['draft'].agency_id}/",
    ]


@pytest.mark.parametrize("url", [*LISTS, "/api/v1/me/"])
def test_anonymous_reads_nothing(api_as, world, url):
    assert_error(api_as(None).get(url), 401)


@pytest.mark.parametrize("role", ROLES_WITH_ACCESS)
def test_everyone_with_a_role_reads_every_list(api_as, world, request, role):
    client = api_as(request.getfixturevalue(role))
    for url in LISTS:
        assert client.get(url).status_code == 200, url
    assert len(results(client.get("/api/v1/actions/"))) == 3


@pytest.mark.parametrize("role", ROLES_WITH_ACCESS)
def test_everyone_with_a_role_reads_each_object(api_as, world, request, role):
    client = api_as(request.getfixturevalue(role))
    for url in detail_urls(world):
        assert client.get(url).status_code == 200, url


def test_signed_in_person_without_a_role_sees_empty_lists(api_as, world, outsider):
    client = api_as(outsider)
    for url in LISTS:
        assert results(client.get(url)) == [], url
    for url in detail_urls(world):
        assert_error(client.get(url), 404, "not_found")


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("secretariat_user", {"accepted", "draft", "submitted", "supporting"}),
        ("viewer", {"accepted", "draft", "submitted", "supporting"}),
        # Customs coordinates TSOC 1 and, with Police, 2a.
        ("lead", {"accepted", "draft", "submitted", "supporting"}),
        ("contributor", {"accepted", "draft", "submitted", "supporting"}),
        # Police coordinates TSOC 2 and 2a and supports TSOC 1.
        ("other_lead", {"accepted", "draft", "submitted", "supporting"}),
    ],
)
def test_status_updates_follow_the_visibility_rules(api_as, world, request, role, expected):
    ids = {
        row["id"]
        for row in results(api_as(request.getfixturevalue(role)).get("/api/v1/status-updates/"))
    }
    assert ids == {world[name].pk for name in expected}


def test_an_update_on_another_agencys_action_is_404(api_as, hidden_update, lead):
    assert_error(api_as(lead).get(f"/api/v1/status-updates/{hidden_update.pk}/"), 404)


def test_progress_is_the_status_rule_for_the_quarter_the_dashboard_shows(api_as, world, viewer):
    actions = by_reference(api_as(viewer).get("/api/v1/actions/"))
    one, two, two_a = actions["TSOC 1"], actions["TSOC 2"], actions["TSOC 2a"]
    # TSOC 1: Customs' return this quarter is only a draft, and Police's "complete" is
    # supporting input: no return yet, whatever last quarter said.
    assert (one["progress"]["period"], one["progress"]["status"]) == ("2026-Q3", "none")
    assert [(r["agency"], r["counts"]) for r in one["progress"]["returns"]] == [("police", False)]
    assert two_a["progress"]["status"] == "at_risk"
    assert [(r["agency"], r["counts"]) for r in two_a["progress"]["returns"]] == [("police", True)]
    assert two["progress"] | {"returns": []} == {
        **two["progress"],
        "status": "at_risk",
        "is_line": False,
        "lines": 1,
        "lines_reported": 1,
    }


def test_progress_of_another_quarter_is_asked_for_by_name(api_as, world, viewer):
    actions = by_reference(api_as(viewer).get("/api/v1/actions/", {"period": "Q4 2025/26"}))
    assert actions["TSOC 1"]["progress"]["status"] == "on_track"  # accepted last quarter


def test_progress_is_null_where_the_person_may_not_read_it(api_as, world, hidden_update, lead):
    actions = by_reference(api_as(lead).get("/api/v1/actions/"))
    assert actions["TSOC 1"]["progress"]["status"] == "none"
    assert actions["TSOC 9"]["progress"] is None  # Customs doesn't coordinate TSOC 9


def test_action_inlines_its_agencies_roles_and_measures(api_as, world, viewer):
    action = api_as(viewer).get(f"/api/v1/actions/{world['one'].pk}/").json()
    assert action["reference"] == "TSOC 1"
    assert [(a["agency"], a["role"]) for a in action["agencies"]] == [
        ("customs", "coordinating"),
        ("police", "supporting"),
    ]
    assert [m["statement"] for m in action["success_measures"]] == ["Fewer cash wages."]
    assert action["priority_areas"] == ["prevent"]
    assert action["focus_areas"] == ["border"]
    assert action["progress"]["status"] == "none"


def test_sub_action_names_its_parent(api_as, world, viewer):
    sub = api_as(viewer).get(f"/api/v1/actions/{world['two_a'].pk}/").json()
    assert (sub["parent_id"], sub["parent_number"]) == (world["two"].pk, "2")


def test_overdue_once_an_open_period_is_past_due_without_the_lead_return(api_as, world, viewer):
    period = world["current"]
    period.opens_on = period.due_on = period.starts_on
    period.save()
    actions = by_reference(api_as(viewer).get("/api/v1/actions/"))
    assert actions["TSOC 1"]["overdue"] is True  # only a draft
    assert actions["TSOC 2"]["overdue"] is True  # Customs, jointly responsible for 2a, hasn't
    assert actions["TSOC 2a"]["overdue"] is True  # nothing yet


def test_nothing_is_overdue_before_the_due_date(api_as, world, viewer):
    actions = by_reference(api_as(viewer).get("/api/v1/actions/"))
    assert {action["overdue"] for action in actions.values()} == {False}


def test_status_update_carries_its_etag(api_as, world, viewer):
    response = api_as(viewer).get(f"/api/v1/status-updates/{world['draft'].pk}/")
    assert response["ETag"] == f'"{world["draft"].version}"'


def test_me_for_the_secretariat(api_as, secretariat_user):
    me = api_as(secretariat_user).get("/api/v1/me/").json()
    assert (me["is_secretariat"], me["is_viewer"], me["token"]) == (True, False, None)


def test_lists_are_paged(api_as, world, viewer):
    page = api_as(viewer).get("/api/v1/actions/?page_size=2").json()
    assert (page["count"], len(page["results"])) == (3, 2)
    assert "page=2" in page["next"]
    response = api_as(viewer).get("/api/v1/actions/?page_size=2")
    assert response["Link"] == f'<{page["next"]}>; rel="next"'
    last = api_as(viewer).get(page["next"]).json()
    assert len(last["results"]) == 1 and last["next"] is None


def test_ordering(api_as, world, viewer):
    numbers = [
        a["number"] for a in results(api_as(viewer).get("/api/v1/actions/?ordering=-number"))
    ]
    assert numbers == ["2a", "2", "1"]
