"""The steering group's governance records: the risk scale, raising a return's risks, version
checks and history, dependencies refused when they would loop, changes since the quarter began,
matters arising, reminders sent once, the pack data (withholding, markings, dependencies on
off-track actions), the seed links, exports and the API's filters."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from actions.models import ActionPlan
from reporting.governance import services
from reporting.governance.changes import changes_since
from reporting.governance.exports import as_csv
from reporting.governance.heatmap import heat_map_grid, heat_map_svg
from reporting.governance.pack import governance_pack
from reporting.governance.reminders import queue_governance_reminders
from reporting.models import (
    ActionDependency,
    FollowUp,
    Meeting,
    ReminderLog,
    Risk,
    StatusUpdate,
    Withholding,
)
from reporting.models.governance import CycleError, StaleRecordError
from reporting.models.risk_scale import BANDS, Level, level_of
from tests.actions.factories import ActionFactory, ActionPlanFactory
from tests.reporting.governance_setup import governance_records
from tests.reporting.reports_setup import small_plan

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 10, 15)


@pytest.fixture
def world(agency, other_agency):
    return small_plan(agency, other_agency)


@pytest.fixture
def records(world, agency):
    return governance_records(world, agency)


def rated(world, owner, likelihood, consequence, **fields) -> Risk:
    return Risk.objects.create(
        plan=world.plan,
        title=fields.pop("title", f"Risk {likelihood}×{consequence}"),
        owner_agency=owner,
        likelihood=likelihood,
        consequence_rating=consequence,
        residual_likelihood=1,
        residual_consequence=1,
        review_on=fields.pop("review_on", TODAY + datetime.timedelta(days=30)),
        **fields,
    )


# --- The scale ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("likelihood", "consequence", "level"),
    [(1, 3, Level.LOW), (2, 2, Level.MEDIUM), (3, 3, Level.MEDIUM), (2, 5, Level.HIGH),
     (3, 5, Level.HIGH), (4, 4, Level.VERY_HIGH), (5, 5, Level.VERY_HIGH)],
)  # fmt: skip
def test_a_ratings_level_follows_from_likelihood_times_consequence(likelihood, consequence, level):
    assert level_of(likelihood, consequence) == level


def test_the_bands_cover_every_rating_once():
    ratings = [r for band in BANDS for r in range(band.lowest, band.highest + 1)]

    assert ratings == list(range(1, 26))


def test_the_stylesheet_colours_each_level_as_the_scale_table_does():
    css = Path("static/css/tsoc.css").read_text()

    for band in BANDS:
        rule = re.search(rf"\.risk-level--{band.level.value}[^{{]*\{{ background: (#\w+)", css)
        assert rule and rule.group(1) == band.fill, band.level


def test_the_heat_map_counts_each_cell_and_names_itself(world, agency):
    for likelihood, consequence in [(4, 4), (4, 4), (1, 2)]:
        rated(world, agency, likelihood, consequence)

    grid = heat_map_grid(
        (r.likelihood, r.consequence_rating, r.reference) for r in Risk.objects.all()
    )
    counts = {(c["likelihood"], c["consequence"]): c["count"] for row in grid for c in row["cells"]}
    svg = heat_map_svg(grid, id_prefix="t", caption="Risks by rating")

    assert counts[(4, 4)] == 2 and counts[(1, 2)] == 1 and sum(counts.values()) == 3
    assert [row["likelihood"] for row in grid] == [5, 4, 3, 2, 1]
    assert 'role="img"' in svg and '<title id="t-title">Risks by rating</title>' in svg
    assert "3 risks by likelihood" in svg


# --- Raising a return's risks ------------------------------------------------------------


def test_a_lead_raises_a_returns_risks_and_the_return_keeps_its_text(world, records, lead):
    update = StatusUpdate.objects.get(risks="Couriers move to smaller ports.")
    Withholding.objects.create(update=update, field="risks", ground="6(c)", marking="SENSITIVE")
    data = services.promotion_defaults(update) | {
        "likelihood": 3,
        "consequence_rating": 4,
        "residual_likelihood": 2,
        "residual_consequence": 2,
    }

    risk = services.promote_risk(update, data, lead)

    update.refresh_from_db()
    assert update.risks == "Couriers move to smaller ports."
    assert risk.source_update == update and risk.description == update.risks
    assert list(risk.actions.all()) == [update.action]
    assert (risk.withheld_under, risk.marking) == ("6(c)", "SENSITIVE")
    assert risk.history.earliest("history_date").history_user == lead


def test_a_contributor_cannot_raise_a_returns_risks(world, records, contributor):
    update = StatusUpdate.objects.get(risks="Couriers move to smaller ports.")

    with pytest.raises(PermissionDenied):
        services.promote_risk(update, services.promotion_defaults(update), contributor)
    assert Risk.objects.filter(source_update=update).count() == 1  # the setup's only


def test_a_change_made_from_an_old_version_is_refused_and_the_history_names_who(
    world, records, lead, secretariat_user
):
    risk = Risk.objects.get(pk=records["risk"])
    services.change_risk(risk, {"likelihood": 5}, None, by=lead, expected_version=1)

    stale = Risk.objects.get(pk=risk.pk)
    with pytest.raises(StaleRecordError):
        services.change_risk(
            stale, {"likelihood": 1}, None, by=secretariat_user, expected_version=1
        )

    stored = Risk.objects.get(pk=risk.pk)
    assert (stored.likelihood, stored.version) == (5, 2)
    assert stored.history.first().history_user == lead


def test_only_the_owner_agencys_leads_and_the_secretariat_change_a_risk(world, records, other_lead):
    risk = Risk.objects.get(pk=records["risk"])

    with pytest.raises(PermissionDenied):
        services.change_risk(risk, {"likelihood": 1}, None, by=other_lead, expected_version=1)


# --- Dependencies ------------------------------------------------------------------------


def test_a_link_that_would_form_a_loop_is_refused(world, secretariat_user):
    a = world.actions
    services.link_actions(a["1"], a["2"], secretariat_user)
    services.link_actions(a["2"], a["3a"], secretariat_user)

    with pytest.raises(CycleError):
        services.link_actions(a["3a"], a["1"], secretariat_user)
    with pytest.raises(CycleError):
        services.link_actions(a["1"], a["1"], secretariat_user)
    assert ActionDependency.objects.count() == 2


def test_actions_may_depend_on_actions_of_another_plan(world, secretariat_user):
    other = ActionFactory(plan=ActionPlanFactory(strategy=world.plan.strategy), number="1")

    link = services.link_actions(world.actions["2"], other, secretariat_user)

    assert link.depends_on.plan != link.action.plan


def test_a_lead_cannot_link_actions(world, lead):
    with pytest.raises(PermissionDenied):
        services.link_actions(world.actions["2"], world.actions["1"], lead)


def test_the_action_page_shows_the_link_from_both_sides(client, world, records, viewer):
    client.force_login(viewer)

    page_1 = client.get(world.actions["1"].get_absolute_url()).content.decode()
    page_3b = client.get(world.actions["3b"].get_absolute_url()).content.decode()

    depends = page_1.split("Actions that depend on this one")[1].split("<h3>")[0]
    assert "TSOC 3b" in depends
    assert "TSOC 1" in page_3b.split("This action depends on")[1].split("<h3>")[0]


def make_3a_off_track(world):
    """Both of TSOC 3a's lead returns for Q3 off track, whichever the status lookup reads."""
    StatusUpdate.objects.filter(action=world.actions["3a"], period=world.period).update(
        status=StatusUpdate.Status.OFF_TRACK
    )


def test_the_dashboard_counts_actions_depending_on_an_off_track_action(
    client, world, records, viewer, secretariat_user
):
    make_3a_off_track(world)
    services.link_actions(world.actions["2"], world.actions["3a"], secretariat_user)
    ActionDependency.objects.create(action=world.actions["3b"], depends_on=world.actions["3a"])
    client.force_login(viewer)

    page = client.get(f"/dashboard/{world.plan.slug}/?period=2026-Q3").content.decode()

    assert re.search(r'figure__value">2</span>\s*actions depend on an off-track action', page)


def test_the_shipped_links_make_the_tsoc_agencys_actions_depend_on_action_1s_first_strand(db):
    from actions.services import load_plan_file, seed_plan_files
    from agencies.services import load_agencies
    from reporting.governance.seed import load_dependencies

    load_agencies()
    for path in seed_plan_files():
        load_plan_file(path)

    assert load_dependencies() == 5
    assert load_dependencies() == 0  # safe to run again
    links = ActionDependency.objects.select_related("action", "depends_on")
    first = "1 strand 1"  # Developing a Department or Agency
    assert {(d.action.number, d.depends_on.number) for d in links} == {
        ("1 strand 2", first), ("2", first), ("12", first), ("14", first), ("16", first)
    }  # fmt: skip
    assert all(d.is_assumption for d in links)


# --- Changes since the quarter began -----------------------------------------------------


def test_changes_since_name_raised_closed_and_relevelled_risks(world, agency, secretariat_user):
    steady = rated(world, agency, 2, 2, title="Steady")
    rising = rated(world, agency, 2, 2, title="Rising")
    closing = rated(world, agency, 3, 3, title="Closing")
    cutoff = timezone.now()
    services.change_risk(rising, {"likelihood": 5}, None, by=secretariat_user, expected_version=1)
    services.change_risk(
        closing, {"status": "closed"}, None, by=secretariat_user, expected_version=1
    )
    rated(world, agency, 1, 1, title="New")

    changes = {c["title"]: c["change"] for c in changes_since(Risk.objects.all(), cutoff)}

    assert changes == {"Rising": "up", "Closing": "closed", "New": "new"}
    assert steady.title not in changes


# --- Meetings and matters arising ----------------------------------------------------------


def test_open_follow_ups_are_matters_arising_at_every_later_meeting_until_closed(
    world, records, lead
):
    later = datetime.date(2026, 11, 1)
    follow_up = FollowUp.objects.get(pk=records["follow_up"])

    assert list(FollowUp.objects.matters_arising(world.plan, before=later)) == [follow_up]
    assert (
        list(FollowUp.objects.matters_arising(world.plan, before=follow_up.meeting.held_on)) == []
    )

    services.change_follow_up(follow_up, {"status": "closed"}, by=lead, expected_version=1)

    assert list(FollowUp.objects.matters_arising(world.plan, before=later)) == []


def test_a_follow_up_needs_an_owner(world, records, secretariat_user):
    meeting = Meeting.objects.get(pk=records["meeting"])

    with pytest.raises(ValidationError):
        services.add_follow_up(
            meeting, {"what": "Someone do it", "due_on": TODAY}, secretariat_user
        )


# --- Reminders -----------------------------------------------------------------------------


def test_an_overdue_follow_up_reminds_its_owners_once_per_due_date(
    world, records, lead, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue_governance_reminders(today=datetime.date(2026, 9, 2))
    again = queue_governance_reminders(today=datetime.date(2026, 9, 3))

    follow_up_mail = [m for m in mailoutbox if "follow-up" in m.subject]
    assert [log.kind for log in first if log.follow_up_id] == [ReminderLog.Kind.FOLLOW_UP_OVERDUE]
    assert [m.to for m in follow_up_mail] == [[lead.email.lower()]]
    assert [log for log in again if log.follow_up_id] == []

    follow_up = FollowUp.objects.get(pk=records["follow_up"])
    services.change_follow_up(
        follow_up, {"due_on": datetime.date(2026, 9, 10)}, by=lead, expected_version=1
    )
    later = queue_governance_reminders(today=datetime.date(2026, 9, 11))
    assert [log.due_on for log in later if log.follow_up_id] == [datetime.date(2026, 9, 10)]


def test_a_closed_follow_up_or_a_reviewed_risk_reminds_nobody(
    world, records, lead, secretariat_user
):
    follow_up = FollowUp.objects.get(pk=records["follow_up"])
    services.change_follow_up(follow_up, {"status": "closed"}, by=lead, expected_version=1)
    risk = Risk.objects.get(pk=records["risk"])
    services.change_risk(
        risk, {"review_on": datetime.date(2027, 1, 1)}, None, by=lead, expected_version=1
    )

    assert queue_governance_reminders(today=datetime.date(2026, 10, 2)) == []


def test_an_overdue_review_reminds_the_owner_agencys_leads(
    world, records, lead, contributor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        logs = queue_governance_reminders(today=datetime.date(2026, 10, 1))

    reviews = ReminderLog.objects.filter(
        pk__in=[log.pk for log in logs], kind=ReminderLog.Kind.RISK_REVIEW
    )
    assert [(log.email, log.status) for log in reviews] == [(lead.email.lower(), "sent")]


# --- The pack ------------------------------------------------------------------------------


def test_a_public_pack_prints_withheld_risk_text_as_its_placeholder(
    world, records, secretariat_user
):
    Risk.objects.filter(pk=records["risk"]).update(
        withheld_under="6(c)", marking="SENSITIVE", treatment="Covert surveillance at Napier."
    )

    public = governance_pack(world.plan, world.period, user=secretariat_user, public=True)
    full = governance_pack(world.plan, world.period, user=secretariat_user)

    assert "Napier" not in str(public) and "smaller ports" not in str(public)
    assert public["risks"]["top"][0]["treatment"] == "[withheld under s 6(c)]"
    assert full["risks"]["top"][0]["treatment"] == "Covert surveillance at Napier."
    assert (public["contents_marking"], full["contents_marking"]) == ("", "SENSITIVE")


def test_the_pack_carries_the_heat_map_decisions_and_matters_arising(
    world, records, secretariat_user
):
    pack = governance_pack(
        world.plan,
        world.period,
        user=secretariat_user,
        as_at=datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC),
    )

    cells = [c for row in pack["risks"]["heat_map"] for c in row["cells"] if c["count"]]
    assert [(c["likelihood"], c["consequence"]) for c in cells] == [(4, 4)]
    assert pack["latest_meeting"]["decisions"][0]["text"] == "Customs reviews the ports."
    assert [(f["what"], f["overdue"]) for f in pack["matters_arising"]] == [
        ("Report on the ports review.", True)
    ]
    assert pack["risks"]["overdue_reviews"] == 1


def test_the_pack_counts_dependencies_on_off_track_actions(world, records, secretariat_user):
    # 3b depends on 1, whose latest lead return (Customs, Q3) is on track: nothing to count.
    assert (
        governance_pack(world.plan, world.period, user=secretariat_user)["dependencies"]["count"]
        == 0
    )
    make_3a_off_track(world)
    ActionDependency.objects.create(action=world.actions["2"], depends_on=world.actions["3a"])

    dependencies = governance_pack(world.plan, world.period, user=secretariat_user)["dependencies"]

    assert dependencies["count"] == 1
    assert dependencies["on_off_track"][0]["depends_on"] == "TSOC 3a"


# --- Exports and the API -------------------------------------------------------------------


def test_exports_quote_text_that_a_spreadsheet_would_run_as_a_formula():
    content = as_csv("IN CONFIDENCE", "Risk register", ["Title"], [["=HYPERLINK(1)"]]).decode()

    assert "'=HYPERLINK(1)" in content and content.lstrip("\ufeff").startswith("IN CONFIDENCE")


def test_the_register_export_holds_only_the_risks_a_person_sees(client, world, records, other_lead):
    client.force_login(other_lead)

    content = client.get("/governance/risks/export.csv").content.decode()

    assert "smaller ports" not in content and "Risk register" in content


def test_the_api_filters_risks_by_level_and_overdue_review(client, world, records, viewer, agency):
    rated(world, agency, 1, 1, title="Tiny", review_on=datetime.date(2999, 1, 1))
    client.force_login(viewer)

    def titles(query):
        body = client.get(f"/api/v1/risks/?{query}").json()
        return {r["title"] for r in body["results"]}

    assert titles("level=very_high") == {"Couriers move to smaller ports"}
    assert titles("level=low") == {"Tiny"}
    assert titles("review_overdue=true") == {"Couriers move to smaller ports"}
    assert titles("review_overdue=false") == {"Tiny"}
    assert client.get("/api/v1/risks/?level=extreme").status_code == 400


def test_the_api_says_when_a_risks_text_is_withheld(client, world, records, viewer):
    Risk.objects.filter(pk=records["risk"]).update(withheld_under="6(c)")
    client.force_login(viewer)

    risk = client.get(f"/api/v1/risks/{records['risk']}/").json()

    assert (risk["withheld_under"], risk["level"], risk["rating"]) == ("6(c)", "very_high", 16)


def test_the_register_page_filters_by_agency_and_level(
    client, world, records, viewer, other_agency
):
    rated(world, other_agency, 1, 2, title="Police low risk")
    client.force_login(viewer)

    police = client.get("/governance/risks/?agency=police").content.decode()
    high = client.get("/governance/risks/?level=very_high").content.decode()

    assert "Police low risk" in police and "smaller ports" not in police
    assert "smaller ports" in high and "Police low risk" not in high


def test_my_actions_lists_the_follow_ups_the_agency_owns(client, world, records, contributor):
    client.force_login(contributor)

    page = client.get("/my-actions/").content.decode()

    assert "Report on the ports review." in page and "Overdue" in page


def test_plans_other_than_the_risks_are_not_mixed_in(world, records, agency):
    other = ActionPlan.objects.exclude(pk=world.plan.pk).first()
    assert other is None or not Risk.objects.for_plan(other).exists()
