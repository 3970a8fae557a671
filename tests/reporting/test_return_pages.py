"""The quarterly return as people use it in the browser: pages, forms, messages."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import IndicatorReading
from reporting.models import ReportingPeriod, StatusUpdate
from reporting.periods import views as period_views
from reporting.returns import services
from reporting.returns.obligations import returns_for
from tests.actions.factories import ActionPlanFactory, SuccessMeasureFactory
from tests.reporting.factories import ReportingPeriodFactory, StatusUpdateFactory
from tests.reporting.scenes import open_period, shared_action

pytestmark = pytest.mark.django_db


def form_url(action, agency, period):
    return reverse(
        "reporting:update_form",
        kwargs={
            "period": period.code,
            "plan": action.plan.slug,
            "number": action.number,
            "agency": agency.slug,
        },
    )


def check_url(action, agency, period):
    return form_url(action, agency, period) + "check/"


def submit(client, action, agency, period, **fields):
    """Submit as a lead does: the form, then "Check your answers", then its Submit button."""
    response = client.post(form_url(action, agency, period), filled(intent="submit", **fields))
    assert response.url == check_url(action, agency, period), response
    update = StatusUpdate.objects.get(action=action, agency=agency, period=period)
    return client.post(check_url(action, agency, period), {"version": update.version})


def filled(**fields):
    data = {
        "status": "on_track",
        "percent_complete": "30",
        "commentary": "Two operations this quarter.",
        "risks": "",
        "next_steps": "Third operation.",
        "version": "",
        "intent": "save",
    }
    data.update(fields)
    return data


# Home ---------------------------------------------------------------------------------------


def test_home_sends_agency_people_to_my_actions(client_for, lead, contributor):
    for user in (lead, contributor):
        assert client_for(user).get("/").url == reverse("reporting:my_actions")


def test_home_sends_the_secretariat_to_the_open_periods_review(client_for, secretariat_user):
    period = open_period()
    response = client_for(secretariat_user).get("/")
    assert response.url == reverse("reporting:period_detail", kwargs={"code": period.code})


def test_home_sends_viewers_to_the_periods_when_none_is_open(client_for, viewer):
    assert client_for(viewer).get("/").url == reverse("reporting:period_list")


# My actions ---------------------------------------------------------------------------------


def test_my_actions_lists_led_and_supported_actions_most_urgent_first(
    client_for, lead, agency, other_agency, period
):
    submitted = shared_action(agency, title="Already submitted")
    StatusUpdateFactory(action=submitted, agency=agency, period=period, state="submitted")
    returned = shared_action(agency, title="Sent back")
    StatusUpdateFactory(action=returned, agency=agency, period=period, state="returned")
    supported = shared_action(other_agency, agency, title="Police lead, Customs supports")
    fresh = shared_action(agency, title="Not begun")
    shared_action(other_agency, title="Not ours at all")

    response = client_for(lead).get(reverse("reporting:my_actions"))

    titles = [r.action.title for r in response.context["returns"]]
    assert titles == [returned.title, fresh.title, supported.title, submitted.title]
    page = response.content.decode()
    assert "Not ours at all" not in page
    assert "Not started yet" in page and "Returned for changes" in page
    assert "Supporting" in page


def test_my_actions_shows_a_page_of_the_most_urgent_and_counts_them_all(
    client_for, lead, agency, period, monkeypatch
):
    from reporting.returns import views

    monkeypatch.setattr(views, "RETURNS_PER_PAGE", 2)
    submitted = shared_action(agency, title="Already submitted")
    StatusUpdateFactory(action=submitted, agency=agency, period=period, state="submitted")
    returned = shared_action(agency, title="Sent back")
    StatusUpdateFactory(action=returned, agency=agency, period=period, state="returned")
    fresh = shared_action(agency, title="Not begun")

    first = client_for(lead).get(reverse("reporting:my_actions"))
    second = client_for(lead).get(reverse("reporting:my_actions") + "?page=2")

    assert [r.action.title for r in first.context["returns"]] == [returned.title, fresh.title]
    assert [r.action.title for r in second.context["returns"]] == [submitted.title]
    assert "2 of 3 still to submit" in first.content.decode()
    assert 'aria-label="Pages of returns"' in first.content.decode()


def test_my_actions_flags_overdue_returns_as_text(client_for, lead, agency):
    period = open_period(due_in_days=-3)
    shared_action(agency, title="Late one")
    response = client_for(lead).get(reverse("reporting:my_actions"))
    assert response.context["returns"][0].overdue
    assert "Overdue" in response.content.decode()
    assert period.due_on.strftime("%-d %b %Y") in response.content.decode()


def test_my_actions_says_so_when_no_period_is_open(client_for, lead, agency):
    shared_action(agency)
    response = client_for(lead).get(reverse("reporting:my_actions"))
    assert "No reporting period is open" in response.content.decode()


# The update form ----------------------------------------------------------------------------


def test_the_form_is_prefilled_from_last_quarter(client_for, lead, agency, action, period):
    earlier = ReportingPeriodFactory(year=2026, quarter=2, state="closed")
    StatusUpdateFactory(
        action=action, agency=agency, period=earlier, status="at_risk", commentary="Slow start."
    )
    response = client_for(lead).get(form_url(action, agency, period))
    form = response.context["form"]
    assert form.initial["status"] == "at_risk"
    assert form.initial["commentary"] == "Slow start."
    assert "Last update: Q4 2025/26" in response.content.decode()


def test_a_lead_saves_a_draft_then_submits(client_for, lead, agency, action, period):
    client = client_for(lead)
    response = client.post(form_url(action, agency, period), filled())
    assert response.url == reverse("reporting:my_actions")
    update = StatusUpdate.objects.get()
    assert (update.state, update.commentary, update.percent_complete) == (
        "draft",
        "Two operations this quarter.",
        30,
    )
    response = submit(client, action, agency, period, version=update.version)
    update.refresh_from_db()
    assert (update.state, update.submitted_by, update.is_late) == ("submitted", lead, False)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages[-1] == f"Customs's update on TSOC {action.number} submitted."


def test_invalid_input_keeps_what_was_typed_and_shows_errors_by_the_fields(
    client_for, lead, agency, action, period
):
    response = client_for(lead).post(
        form_url(action, agency, period),
        filled(percent_complete="140", status="", commentary="Keep me."),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert 'href="#id_percent_complete"' in page and 'href="#id_status_0"' in page
    assert 'id="id_percent_complete_error"' in page
    assert 'aria-invalid="true"' in page
    assert "Keep me." in page and 'value="140"' in page
    assert not StatusUpdate.objects.exists()


def test_a_contributor_drafts_but_is_not_offered_submit_and_cannot_force_it(
    client_for, contributor, agency, action, period
):
    client = client_for(contributor)
    page = client.get(form_url(action, agency, period)).content.decode()
    assert "Submit to the secretariat" not in page
    assert "A lead of Customs submits it" in page
    assert client.post(form_url(action, agency, period), filled(intent="submit")).status_code == 403
    assert not StatusUpdate.objects.exists()
    client.post(form_url(action, agency, period), filled())
    assert StatusUpdate.objects.get().state == "draft"


def test_a_late_submission_goes_in_marked_late(client_for, lead, agency, action):
    period = open_period(due_in_days=-2)
    client = client_for(lead)
    page = client.get(form_url(action, agency, period)).content.decode()
    assert "You can still submit: the return will be marked late" in page
    response = submit(client, action, agency, period)
    response = client.get(response.url)
    update = StatusUpdate.objects.get()
    assert (update.state, update.is_late) == ("submitted", True)
    assert "marked late" in response.content.decode()


def test_once_submitted_the_form_is_refused_with_the_reason(
    client_for, lead, agency, action, period
):
    StatusUpdateFactory(action=action, agency=agency, period=period, state="submitted")
    response = client_for(lead).get(form_url(action, agency, period))
    assert response.status_code == 403
    assert "submitted and can&#x27;t be changed" in response.content.decode()


def test_a_closed_period_is_frozen(client_for, lead, agency, action, period):
    StatusUpdateFactory(action=action, agency=agency, period=period, state="draft")
    period.state = ReportingPeriod.State.CLOSED
    period.save()
    client = client_for(lead)
    assert client.get(form_url(action, agency, period)).status_code == 403
    assert client.post(form_url(action, agency, period), filled(version=1)).status_code == 403
    assert StatusUpdate.objects.get().commentary == "Work is progressing."


def test_the_lead_sees_supporting_agencies_input_while_writing(
    client_for, lead, agency, other_agency, other_lead, action, period
):
    services.start_update(
        action,
        period,
        other_agency,
        data={"status": "on_track", "commentary": "Police ran two joint operations."},
        by=other_lead,
    )
    page = client_for(lead).get(form_url(action, agency, period)).content.decode()
    assert "Other agencies this quarter" in page
    assert "Police ran two joint operations." in page


def test_the_second_save_is_refused_showing_theirs_and_keeping_mine(
    client_for, lead, contributor, agency, action, period
):
    update = StatusUpdateFactory(action=action, agency=agency, period=period, state="draft")
    services.change_update(
        update, data={"commentary": "The contributor's words."}, by=contributor, expected_version=1
    )
    response = client_for(lead).post(
        form_url(action, agency, period), filled(version=1, commentary="The lead's words.")
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this update while you were editing" in page
    assert "The contributor's words." in page.replace("&#x27;", "'")
    assert "The lead's words." in page.replace("&#x27;", "'")
    assert response.context["form"]["version"].value() == 2
    update.refresh_from_db()
    assert update.commentary == "The contributor's words."


def test_after_seeing_the_conflict_the_next_save_goes_through(
    client_for, lead, contributor, agency, action, period
):
    update = StatusUpdateFactory(action=action, agency=agency, period=period, state="draft")
    services.change_update(
        update, data={"commentary": "Theirs"}, by=contributor, expected_version=1
    )
    client_for(lead).post(form_url(action, agency, period), filled(version=2, commentary="Mine"))
    update.refresh_from_db()
    assert (update.commentary, update.version) == ("Mine", 3)


def test_two_people_starting_the_same_update_do_not_overwrite_each_other(
    client_for, lead, contributor, agency, action, period
):
    url = form_url(action, agency, period)
    client_for(contributor).post(url, filled(commentary="First"))
    response = client_for(lead).post(url, filled(commentary="Second"))
    assert response.status_code == 409
    assert StatusUpdate.objects.get().commentary == "First"


def test_indicator_readings_are_entered_on_the_form(client_for, lead, agency, action, period):
    measure = SuccessMeasureFactory(action=action, indicator="Cash seized", unit="NZD")
    client = client_for(lead)
    page = client.get(form_url(action, agency, period)).content.decode()
    assert "Cash seized (NZD)" in page and "As at 30 September 2026" in page
    client.post(
        form_url(action, agency, period),
        filled(**{f"reading_{measure.pk}_value": "125000", f"reading_{measure.pk}_note": "Q3"}),
    )
    reading = IndicatorReading.objects.get()
    assert (reading.value, reading.date, reading.note) == (
        Decimal("125000"),
        datetime.date(2026, 9, 30),
        "Q3",
    )
    page = client.get(form_url(action, agency, period)).content.decode()
    assert 'value="125000.00"' in page


# Review -------------------------------------------------------------------------------------


def submitted_update(action, agency, period, lead):
    update = services.start_update(
        action,
        period,
        agency,
        data={"status": "on_track", "percent_complete": 30, "commentary": "Done."},
        by=lead,
    )
    return services.submit_update(update, by=lead, expected_version=1)


def test_the_period_page_shows_every_return_and_its_state(
    client_for, secretariat_user, lead, agency, other_agency, action, period
):
    submitted_update(action, agency, period, lead)
    response = client_for(secretariat_user).get(
        reverse("reporting:period_detail", kwargs={"code": period.code})
    )
    rows = {(r.agency.slug, r.state) for r in response.context["returns"]}
    assert rows == {("customs", "submitted"), ("police", "to_start")}
    assert "Review" in response.content.decode()


def test_the_period_page_filters_by_state_and_agency(
    client_for, viewer, lead, agency, action, period
):
    submitted_update(action, agency, period, lead)
    url = reverse("reporting:period_detail", kwargs={"code": period.code})
    client = client_for(viewer)
    assert len(client.get(url, {"state": "to_start"}).context["returns"]) == 1
    assert len(client.get(url, {"agency": "customs"}).context["returns"]) == 1
    assert len(client.get(url, {"state": "accepted"}).context["returns"]) == 0


def test_the_period_page_links_each_return_to_its_action_and_update(
    client_for, secretariat_user, lead, agency, action, period
):
    update = submitted_update(action, agency, period, lead)
    html = client_for(secretariat_user).get(
        reverse("reporting:period_detail", kwargs={"code": period.code})
    )
    html = html.content.decode()
    assert html.count(f'<a href="{action.get_absolute_url()}"><span class="action-number">') == 2
    update_url = reverse("reporting:update_detail", kwargs={"pk": update.pk})
    assert f'<a href="{update_url}">Review<span class="visually-hidden"> Customs on' in html


def test_a_period_with_one_page_of_returns_has_no_page_links(
    client_for, secretariat_user, action, period
):
    html = client_for(secretariat_user).get(
        reverse("reporting:period_detail", kwargs={"code": period.code})
    )
    html = html.content.decode()
    assert "<caption>2 returns</caption>" in html
    assert 'class="pagination"' not in html


@pytest.fixture
def eight_returns(monkeypatch, agency, other_agency, action, period):
    """Four actions Customs leads and Police supports, so eight returns, three to a page."""
    monkeypatch.setattr(period_views, "RETURNS_PER_PAGE", 3)
    for _ in range(3):
        shared_action(agency, other_agency, plan=action.plan)
    return reverse("reporting:period_detail", kwargs={"code": period.code})


def test_an_old_link_to_returns_not_started_still_filters_the_same(
    client_for, viewer, lead, agency, action, period
):
    submitted_update(action, agency, period, lead)
    url = reverse("reporting:period_detail", kwargs={"code": period.code})
    client = client_for(viewer)
    old, new = client.get(url, {"state": "not_started"}), client.get(url, {"state": "to_start"})
    assert old.status_code == 200
    assert [r.agency.slug for r in old.context["returns"]] == ["police"]
    assert old.context["selected_state"] == "to_start"
    assert [r.agency for r in old.context["returns"]] == [r.agency for r in new.context["returns"]]


def test_the_period_page_shows_a_page_of_returns_and_counts_them_all(
    client_for, secretariat_user, period, eight_returns
):
    client = client_for(secretariat_user)
    pages = [client.get(eight_returns, {"page": number}) for number in (1, 2, 3)]
    assert [len(page.context["returns"]) for page in pages] == [3, 3, 2]
    shown = [(r.action.pk, r.agency.pk) for page in pages for r in page.context["returns"]]
    assert shown == [(r.action.pk, r.agency.pk) for r in returns_for(period)]
    html = pages[1].content.decode()
    assert "<caption>Showing 4–6 of 8 returns</caption>" in html
    assert '<li><a href="?">All returns</a>: 8</li>' in html
    assert pages[1].context["counts"][0] == ("to_start", "Not started yet", 8)


@pytest.fixture
def two_plans(monkeypatch, agency, other_agency, lead, action, period):
    """Two plans running in the period, at three returns to a page: first the one starting
    later, with actions 11, 2 and 10, then ``action``'s (numbered 5) with actions 9 and 2;
    Customs leads each action and Police supports it; Customs has submitted on 5."""
    monkeypatch.setattr(period_views, "RETURNS_PER_PAGE", 3)
    later = ActionPlanFactory(slug="later", start_date=datetime.date(2026, 8, 1))
    for number in ("11", "2", "10"):
        shared_action(agency, other_agency, plan=later, number=number)
    action.number = "5"
    action.save()
    for number in ("9", "2"):
        shared_action(agency, other_agency, plan=action.plan, number=number)
    submitted_update(action, agency, period, lead)
    return reverse("reporting:period_detail", kwargs={"code": period.code})


def plan_order(returns):
    return [(r.action.plan.slug, r.action.number, r.agency.slug) for r in returns]


def shown_on_pages(client, url, pages, **query):
    return [
        row
        for number in pages
        for row in plan_order(client.get(url, {**query, "page": number}).context["returns"])
    ]


def test_pages_of_returns_run_through_the_plans_in_plan_order(
    client_for, secretariat_user, action, period, two_plans
):
    shown = shown_on_pages(client_for(secretariat_user), two_plans, range(1, 5))

    assert shown == plan_order(returns_for(period))
    first = action.plan.slug
    assert [(plan, number) for plan, number, agency in shown if agency == "customs"] == [
        ("later", "2"),
        ("later", "10"),
        ("later", "11"),
        (first, "2"),
        (first, "5"),
        (first, "9"),
    ]


def test_a_filtered_page_runs_through_the_plans_in_plan_order(
    client_for, secretariat_user, action, period, two_plans
):
    client = client_for(secretariat_user)

    customs = shown_on_pages(client, two_plans, (1, 2), agency="customs")
    not_started = shown_on_pages(client, two_plans, (1, 2, 3, 4), state="to_start")

    assert customs == [row for row in plan_order(returns_for(period)) if row[2] == "customs"]
    assert len(customs) == 6
    everything_else = [r for r in returns_for(period) if r.update is None]
    assert not_started == plan_order(everything_else) and len(not_started) == 11


def test_the_page_links_keep_the_filter(client_for, viewer, eight_returns):
    response = client_for(viewer).get(eight_returns, {"agency": "customs", "page": "2"})
    html = response.content.decode()
    assert "<caption>Showing 4 of 4 returns matching the filter</caption>" in html
    nav = html[html.index('<nav class="pagination" aria-label="Pages of returns">') :]
    nav = nav[: nav.index("</nav>")]
    assert '<a href="?agency=customs&amp;page=1" rel="prev">Previous' in nav
    assert '<a href="?agency=customs&amp;page=2" aria-current="page">' in nav
    assert 'rel="next"' not in nav
    assert response.context["total"] == 8


@pytest.mark.parametrize(("asked", "shown"), [("second", 1), ("", 1), ("4", 3), ("999", 3)])
def test_a_page_number_that_is_not_one_shows_the_first_page_and_past_the_end_the_last(
    client_for, viewer, eight_returns, asked, shown
):
    response = client_for(viewer).get(eight_returns, {"page": asked})
    assert response.status_code == 200
    assert response.context["page"].number == shown


def test_the_secretariat_accepts_a_submitted_return(
    client_for, secretariat_user, lead, agency, action, period
):
    update = submitted_update(action, agency, period, lead)
    client = client_for(secretariat_user)
    page = client.get(reverse("reporting:update_detail", kwargs={"pk": update.pk}))
    assert page.context["review_form"] is not None
    response = client.post(
        reverse("reporting:update_review", kwargs={"pk": update.pk}),
        {"decision": "accept", "version": update.version, "comment": ""},
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.state, update.reviewed_by) == ("accepted", secretariat_user)


def test_returning_needs_a_comment_which_the_lead_then_sees(
    client_for, secretariat_user, lead, agency, action, period
):
    update = submitted_update(action, agency, period, lead)
    review_url = reverse("reporting:update_review", kwargs={"pk": update.pk})
    client = client_for(secretariat_user)
    response = client.post(review_url, {"decision": "return", "version": 2, "comment": ""})
    assert response.status_code == 200
    assert "Write a comment saying what needs to change" in response.content.decode()
    client.post(review_url, {"decision": "return", "version": 2, "comment": "Add Q3 figures."})
    update.refresh_from_db()
    assert update.state == "returned"

    page = client_for(lead).get(form_url(action, agency, period)).content.decode()
    assert "Returned for changes" in page and "Add Q3 figures." in page


def test_a_stale_review_is_refused(client_for, secretariat_user, lead, agency, action, period):
    update = submitted_update(action, agency, period, lead)
    response = client_for(secretariat_user).post(
        reverse("reporting:update_review", kwargs={"pk": update.pk}),
        {"decision": "accept", "version": 1},
        follow=True,
    )
    assert "Someone else changed this update" in response.content.decode()
    update.refresh_from_db()
    assert update.state == "submitted"


def test_the_secretariat_opens_and_closes_a_period_after_confirming(client_for, secretariat_user):
    period = ReportingPeriodFactory(year=2027, quarter=1, state="upcoming")
    client = client_for(secretariat_user)
    open_url = reverse("reporting:period_open", kwargs={"code": period.code})
    assert "Open Q3 2026/27 for returns?" in client.get(open_url).content.decode()
    period.refresh_from_db()
    assert period.state == "upcoming"
    client.post(open_url, {"early": "yes"})
    period.refresh_from_db()
    assert period.is_open
    close_url = reverse("reporting:period_close", kwargs={"code": period.code})
    assert "freezes every return" in client.get(close_url).content.decode()
    client.post(close_url)
    period.refresh_from_db()
    assert period.is_closed


def test_closing_a_period_that_is_not_open_says_why(client_for, secretariat_user):
    period = ReportingPeriodFactory(year=2027, quarter=1, state="upcoming")
    response = client_for(secretariat_user).post(
        reverse("reporting:period_close", kwargs={"code": period.code})
    )
    assert response.status_code == 400
    assert "is not open" in response.content.decode()


def test_the_secretariat_sets_up_the_next_quarter(client_for, secretariat_user):
    ReportingPeriodFactory(year=2026, quarter=4, state="open")
    client_for(secretariat_user).post(reverse("reporting:period_add_next"))
    added = ReportingPeriod.objects.get(code="2027-Q1")
    assert (added.state, added.label) == ("upcoming", "Q3 2026/27")


# The action page ----------------------------------------------------------------------------


def test_the_action_page_shows_the_timeline_across_quarters(
    client_for, viewer, lead, agency, action, period
):
    earlier = ReportingPeriodFactory(year=2026, quarter=2, state="closed")
    StatusUpdateFactory(
        action=action, agency=agency, period=earlier, state="accepted", commentary="Q2 work."
    )
    submitted_update(action, agency, period, lead)
    page = client_for(viewer).get(action.get_absolute_url()).content.decode()
    assert "Updates, quarter by quarter" in page
    assert page.index("Q1 2026/27") < page.index("Q4 2025/26")
    assert "Q2 work." in page and "Done." in page


def test_the_action_page_offers_the_agency_its_return(client_for, lead, agency, action, period):
    page = client_for(lead).get(action.get_absolute_url()).content.decode()
    assert "Your Q1 2026/27 return" in page
    assert form_url(action, agency, period) in page


def test_reporting_adds_its_section_to_the_foot_of_the_action_page_itself(
    client_for, viewer, action, monkeypatch
):
    from actions import views as action_views

    page = client_for(viewer).get(action.get_absolute_url()).content.decode()
    assert page.index("What success looks like") < page.index("Updates, quarter by quarter")

    monkeypatch.setattr(action_views, "action_page_sections", [])
    without_reporting = client_for(viewer).get(action.get_absolute_url())
    assert without_reporting.status_code == 200
    assert "What success looks like" in without_reporting.content.decode()
    assert "Updates, quarter by quarter" not in without_reporting.content.decode()


def test_context_bar_shows_plan_and_period_on_every_page(client_for, lead, agency, action, period):
    page = client_for(lead).get(reverse("reporting:my_actions")).content.decode()
    assert 'class="context-bar"' in page
    assert action.plan.short_title in page and "Q1 2026/27, July–September 2026" in page
