"""Each permission rule, called directly, for the whole cast.

The world is ``small_plan`` (tests/reporting/reports_setup.py): Customs leads TSOC 1 (Q3
submitted) and, with Police, 3a (both submitted); Police leads 2 with Customs supporting (Q3
accepted) and 3b alone (Q3 draft). Q2 is closed, Q3 open. Each test names, per role, exactly what
the rule lets that person have; the HTTP matrix (tests/security/test_permission_matrix.py) checks
that pages and the API ask these rules.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from actions.models import Action, ActionAgency, ActionPlan, IndicatorReading, Strategy
from actions.uploads.models import PlanUpload
from agencies.models import Agency, Membership
from agencies.querysets import people_manageable_by
from reporting.models import (
    Comment,
    Evidence,
    Report,
    ReportingPeriod,
    StatusUpdate,
    Withholding,
)
from tests.actions.factories import IndicatorReadingFactory
from tests.agencies.factories import MembershipFactory, UserFactory
from tests.reporting.reports_setup import small_plan

pytestmark = pytest.mark.django_db

CAST = ("anonymous", "outsider", "viewer", "contributor", "lead", "other_lead", "secretariat")


@pytest.fixture
def world(agency, other_agency):
    return small_plan(agency, other_agency)


@pytest.fixture
def cast(request, db):
    people = {"anonymous": AnonymousUser()}
    for role in CAST[1:]:
        fixture = "secretariat_user" if role == "secretariat" else role
        people[role] = request.getfixturevalue(fixture)
    return people


@pytest.fixture
def deactivated_lead(agency):
    user = UserFactory(username="del.deactivated", is_active=False)
    MembershipFactory(user=user, agency=agency, role=Membership.Role.LEAD)
    return user


def ask(rule, cast, label) -> dict[str, set]:
    """``{role: {label(row) for row in rule(user)}}`` for every member of the cast."""
    return {role: {label(row) for row in rule(user)} for role, user in cast.items()}


def update_label(update: StatusUpdate) -> str:
    return f"{update.action.number} {update.agency.slug} {update.period.code}"


EVERY_UPDATE = {
    "1 customs 2026-Q2",
    "2 police 2026-Q2",
    "3a customs 2026-Q2",
    "1 customs 2026-Q3",
    "2 police 2026-Q3",
    "3a customs 2026-Q3",
    "3a police 2026-Q3",
    "3b police 2026-Q3",
}
NOBODY = {"anonymous": set(), "outsider": set()}


def test_agencies_of_a_member_are_the_ones_they_belong_to(cast, world, deactivated_lead):
    cast = {**cast, "deactivated": deactivated_lead}

    assert ask(Agency.objects.of_member, cast, lambda a: a.slug) == {
        **NOBODY,
        "viewer": set(),
        "contributor": {"customs"},
        "lead": {"customs"},
        "other_lead": {"police"},
        "secretariat": set(),
        "deactivated": set(),
    }
    leads = ask(lambda u: Agency.objects.of_member(u, role="lead"), cast, lambda a: a.slug)
    assert leads["contributor"] == set() and leads["lead"] == {"customs"}


@pytest.mark.parametrize("model", [Agency, Strategy, ActionPlan, Action])
def test_reference_data_is_for_everyone_with_a_role(cast, world, model, deactivated_lead):
    cast = {**cast, "deactivated": deactivated_lead}
    everything = set(model.objects.values_list("pk", flat=True))

    seen = ask(model.objects.visible_to, cast, lambda row: row.pk)

    assert seen == {
        **NOBODY,
        "deactivated": set(),
        **dict.fromkeys(CAST[2:], everything),
    }


def test_progress_is_visible_on_the_actions_a_persons_agency_coordinates(cast, world):
    seen = ask(Action.objects.progress_visible_to, cast, lambda a: a.number)

    every_action = {"1", "2", "3", "3a", "3b"}
    assert seen == {
        **NOBODY,
        "viewer": every_action,
        "secretariat": every_action,
        # Every part of an action one of whose lines the agency coordinates: Customs
        # coordinates 3a, so it reads all of action 3 (3b too), and so its status is whole.
        "contributor": {"1", "2", "3", "3a", "3b"},
        "lead": {"1", "2", "3", "3a", "3b"},
        "other_lead": {"2", "3", "3a", "3b"},
    }


def test_people_report_for_their_own_agencys_coordinations(cast, world):
    def label(coordination):
        return f"{coordination.action.number} {coordination.agency.slug}"

    writes = ask(ActionAgency.objects.reportable_by, cast, label)
    submits = ask(ActionAgency.objects.submittable_by, cast, label)

    customs = {"1 customs", "2 customs", "3a customs"}
    police = {"2 police", "3a police", "3b police"}
    assert writes == {
        **NOBODY,
        "viewer": set(),
        "secretariat": set(),
        "contributor": customs,
        "lead": customs,
        "other_lead": police,
    }
    assert submits == {**writes, "contributor": set()}


def test_updates_are_visible_on_the_actions_of_a_persons_agency(cast, world):
    seen = ask(StatusUpdate.objects.visible_to, cast, update_label)

    customs_side = EVERY_UPDATE  # Customs coordinates 1 and 3a, supports 2: all of action 3
    assert seen == {
        **NOBODY,
        "viewer": EVERY_UPDATE,
        "secretariat": EVERY_UPDATE,
        "contributor": customs_side,
        "lead": customs_side,
        "other_lead": EVERY_UPDATE - {"1 customs 2026-Q2", "1 customs 2026-Q3"},
    }


def test_only_drafts_of_a_persons_own_agency_in_an_open_period_are_editable(cast, world):
    returned = world.updates[("3a", "customs", "2026-Q3")]
    StatusUpdate.objects.filter(pk=returned.pk).update(state=StatusUpdate.State.RETURNED)

    editable = ask(StatusUpdate.objects.editable_by, cast, update_label)
    submittable = ask(StatusUpdate.objects.submittable_by, cast, update_label)

    assert editable == {
        **NOBODY,
        "viewer": set(),
        "secretariat": set(),
        "contributor": {"3a customs 2026-Q3"},
        "lead": {"3a customs 2026-Q3"},
        "other_lead": {"3b police 2026-Q3"},
    }
    assert submittable == {**editable, "contributor": set()}


def test_a_draft_in_a_closed_period_is_editable_by_nobody(cast, world):
    StatusUpdate.objects.filter(pk=world.updates[("3b", "police", "2026-Q3")].pk).update(
        period=world.previous
    )

    assert ask(StatusUpdate.objects.editable_by, cast, update_label)["other_lead"] == set()


def test_an_agency_member_cannot_edit_another_agencys_update_on_a_shared_action(world, lead):
    police_draft = world.updates[("3a", "police", "2026-Q3")]
    StatusUpdate.objects.filter(pk=police_draft.pk).update(state=StatusUpdate.State.DRAFT)

    assert not StatusUpdate.objects.editable_by(lead).filter(pk=police_draft.pk).exists()


def test_only_the_secretariat_reviews_and_only_submitted_updates_in_an_open_period(cast, world):
    left_in_a_closed_quarter = world.updates[("1", "customs", "2026-Q2")]
    StatusUpdate.objects.filter(pk=left_in_a_closed_quarter.pk).update(
        state=StatusUpdate.State.SUBMITTED
    )

    reviewable = ask(StatusUpdate.objects.reviewable_by, cast, update_label)

    submitted_in_q3 = {"1 customs 2026-Q3", "3a customs 2026-Q3", "3a police 2026-Q3"}
    assert reviewable == {
        role: (submitted_in_q3 if role == "secretariat" else set()) for role in CAST
    }


def test_the_secretariat_corrects_submitted_and_accepted_updates_of_an_open_period(cast, world):
    correctable = ask(StatusUpdate.objects.correctable_by, cast, update_label)

    handed_in_q3 = {
        "1 customs 2026-Q3",
        "2 police 2026-Q3",
        "3a customs 2026-Q3",
        "3a police 2026-Q3",
    }
    assert correctable == {
        role: (handed_in_q3 if role == "secretariat" else set()) for role in CAST
    }


def test_an_updates_agency_and_the_secretariat_comment_on_it_until_the_period_closes(cast, world):
    commentable = ask(StatusUpdate.objects.commentable_by, cast, update_label)

    q3 = {label for label in EVERY_UPDATE if label.endswith("2026-Q3")}
    assert commentable == {
        **NOBODY,
        "viewer": set(),
        # Customs supports 2 but has no update on it: Police's is Police's to discuss.
        "contributor": {"1 customs 2026-Q3", "3a customs 2026-Q3"},
        "lead": {"1 customs 2026-Q3", "3a customs 2026-Q3"},
        "other_lead": {"2 police 2026-Q3", "3a police 2026-Q3", "3b police 2026-Q3"},
        "secretariat": q3,
    }


def test_comments_and_evidence_are_seen_by_whoever_sees_their_update(cast, world):
    u1 = world.updates[("1", "customs", "2026-Q3")]
    u3b = world.updates[("3b", "police", "2026-Q3")]
    Comment.post(u1, kind="comment", body="On 1", by=None)
    Comment.post(u3b, kind="comment", body="On 3b", by=None)
    reading = IndicatorReadingFactory(
        measure__action=world.actions["3b"], agency=u3b.agency, date=world.period.ends_on
    )
    Evidence.objects.create(update=u1, name="on 1", url="https://example.govt.nz/1")
    Evidence.objects.create(
        reading=reading, name="on 3b's reading", url="https://example.govt.nz/r"
    )

    comments = ask(Comment.objects.visible_to, cast, lambda c: c.body)
    evidence = ask(Evidence.objects.visible_to, cast, lambda e: e.name)

    assert comments == {
        **NOBODY,
        "viewer": {"On 1", "On 3b"},
        "contributor": {"On 1", "On 3b"},
        "lead": {"On 1", "On 3b"},
        "other_lead": {"On 3b"},
        "secretariat": {"On 1", "On 3b"},
    }
    assert evidence == {
        **NOBODY,
        "viewer": {"on 1", "on 3b's reading"},
        "contributor": {"on 1", "on 3b's reading"},  # Customs reads all of action 3
        "lead": {"on 1", "on 3b's reading"},
        "other_lead": {"on 3b's reading"},
        "secretariat": {"on 1", "on 3b's reading"},
    }


def test_evidence_is_removed_only_from_a_return_its_agency_may_still_edit(cast, world):
    u1 = world.updates[("1", "customs", "2026-Q3")]  # submitted
    u3b = world.updates[("3b", "police", "2026-Q3")]  # draft
    reading = IndicatorReadingFactory(
        measure__action=world.actions["3b"], agency=u3b.agency, date=world.period.ends_on
    )
    Evidence.objects.create(update=u1, name="on submitted 1", url="https://example.govt.nz/1")
    Evidence.objects.create(update=u3b, name="on draft 3b", url="https://example.govt.nz/3b")
    Evidence.objects.create(
        reading=reading, name="on 3b's reading", url="https://example.govt.nz/r"
    )

    assert ask(Evidence.objects.removable_by, cast, lambda e: e.name) == {
        **NOBODY,
        "viewer": set(),
        "contributor": set(),
        "lead": set(),
        "other_lead": {"on draft 3b", "on 3b's reading"},
        "secretariat": set(),
    }


def test_periods_are_read_by_everyone_with_a_role_and_run_by_the_secretariat(cast, world):
    every_period = {"2026-Q2", "2026-Q3"}
    with_a_role = dict.fromkeys(CAST[2:], every_period)

    assert ask(ReportingPeriod.objects.visible_to, cast, lambda p: p.code) == {
        **NOBODY,
        **with_a_role,
    }
    assert ask(ReportingPeriod.objects.overseeable_by, cast, lambda p: p.code) == {
        role: (every_period if role in ("viewer", "secretariat") else set()) for role in CAST
    }
    assert ask(ReportingPeriod.objects.manageable_by, cast, lambda p: p.code) == {
        role: (every_period if role == "secretariat" else set()) for role in CAST
    }


def test_plans_are_edited_by_the_secretariat_only(cast, world):
    assert ask(ActionPlan.objects.editable_by, cast, lambda p: p.slug) == {
        role: ({"tsoc-test-plan"} if role == "secretariat" else set()) for role in CAST
    }


def test_reports_are_read_by_the_steering_group_and_built_by_the_secretariat(cast, world):
    report = Report.objects.create(plan=world.plan, period=world.period, audience="cabinet")

    assert ask(Report.objects.visible_to, cast, lambda r: r.pk) == {
        role: ({report.pk} if role in ("viewer", "secretariat") else set()) for role in CAST
    }
    assert ask(Report.objects.buildable_by, cast, lambda r: r.pk) == {
        role: ({report.pk} if role == "secretariat" else set()) for role in CAST
    }


def test_the_secretariat_deletes_only_reports_not_final_nor_building(cast, world):
    def report(**fields):
        return Report.objects.create(
            plan=world.plan, period=world.period, audience="cabinet", **fields
        )

    mistaken = report(state=Report.State.READY)
    failed = report(state=Report.State.FAILED)
    report(state=Report.State.READY, final_at=timezone.now())
    report(state=Report.State.BUILDING)
    report(state=Report.State.QUEUED)

    assert ask(Report.objects.removable_by, cast, lambda r: r.pk) == {
        role: ({mistaken.pk, failed.pk} if role == "secretariat" else set()) for role in CAST
    }


def test_only_the_secretariat_uploads_plan_files(cast, world):
    upload = PlanUpload.objects.create(plan=world.plan, filename="plan.csv", size=10)

    assert ask(PlanUpload.objects.manageable_by, cast, lambda u: u.pk) == {
        role: ({upload.pk} if role == "secretariat" else set()) for role in CAST
    }


def test_only_the_secretariat_manages_people_and_agencies(cast, world):
    root = UserFactory(username="root", is_superuser=True)
    everyone_but_root = set(
        get_user_model().objects.exclude(pk=root.pk).values_list("pk", flat=True)
    )

    assert ask(people_manageable_by, cast, lambda u: u.pk) == {
        role: (everyone_but_root if role == "secretariat" else set()) for role in CAST
    }
    assert root.pk in {u.pk for u in people_manageable_by(root)}  # a superuser manages anyone
    every_agency = set(Agency.objects.values_list("slug", flat=True))
    assert ask(Agency.objects.manageable_by, cast, lambda a: a.slug) == {
        role: (every_agency if role == "secretariat" else set()) for role in CAST
    }


def test_only_the_secretariat_manages_withholdings(cast, world):
    withheld = Withholding.objects.create(
        action=world.actions["1"], field="description", ground="6(a)"
    )

    assert ask(Withholding.objects.manageable_by, cast, lambda w: w.pk) == {
        role: ({withheld.pk} if role == "secretariat" else set()) for role in CAST
    }


def test_indicator_readings_of_every_agencys_actions_are_reference_data(cast, world):
    customs_reading = IndicatorReadingFactory(measure__action=world.actions["1"])
    police_reading = IndicatorReadingFactory(measure__action=world.actions["3b"])
    both = {customs_reading.pk, police_reading.pk}

    assert ask(IndicatorReading.objects.visible_to, cast, lambda r: r.pk) == {
        **NOBODY,
        **dict.fromkeys(CAST[2:], both),
    }


# --- Governance (tests/reporting/governance_setup.py): risk R owned by Customs and linked to
# TSOC 1; a meeting with a follow-up owned by Customs; TSOC 3b depends on TSOC 1. A second risk,
# owned by Police and linked to 3b, and a follow-up owned by the other lead in person.


@pytest.fixture
def governance(world, agency, other_agency, other_lead):
    from reporting.models import FollowUp, Meeting, Risk
    from tests.reporting.governance_setup import governance_records

    ids = governance_records(world, agency)
    police_risk = Risk.objects.create(
        plan=world.plan,
        title="Search law delayed",
        owner_agency=other_agency,
        likelihood=2,
        consequence_rating=3,
        residual_likelihood=1,
        residual_consequence=3,
        review_on=world.period.due_on,
    )
    police_risk.actions.add(world.actions["3b"])
    FollowUp.objects.create(
        meeting=Meeting.objects.get(pk=ids["meeting"]),
        what="Brief the Minister.",
        owner_user=other_lead,
        due_on=world.period.due_on,
    )
    return ids


def test_risks_are_seen_by_the_steering_group_and_the_agencies_they_touch(cast, governance):
    from reporting.models import Risk

    seen = ask(Risk.objects.visible_to, cast, lambda r: r.title)

    both = {"Couriers move to smaller ports", "Search law delayed"}
    assert seen == {
        **NOBODY,
        "viewer": both,
        "secretariat": both,
        # Customs reads all of action 3 (it coordinates 3a), so a risk on 3b too.
        "contributor": both,
        "lead": both,
        "other_lead": {"Search law delayed"},
    }


def test_risks_are_changed_by_the_secretariat_and_the_owner_agencys_leads(cast, governance):
    from reporting.models import Risk

    both = {"Couriers move to smaller ports", "Search law delayed"}
    assert ask(Risk.objects.editable_by, cast, lambda r: r.title) == {
        **NOBODY,
        "viewer": set(),
        "secretariat": both,
        "contributor": set(),
        "lead": {"Couriers move to smaller ports"},
        "other_lead": {"Search law delayed"},
    }
    added = ask(Risk.objects.addable_by, cast, lambda r: r.title)
    assert added == {**{key: set() for key in CAST}, "secretariat": both}


def test_a_returns_risks_are_raised_by_its_agencys_leads_and_the_secretariat(cast, governance):
    raises = ask(StatusUpdate.objects.risks_promotable_by, cast, update_label)

    assert raises == {
        **{key: set() for key in CAST},
        "lead": {"1 customs 2026-Q3"},
        "other_lead": {"2 police 2026-Q3"},
        "secretariat": {"1 customs 2026-Q3", "2 police 2026-Q3"},
    }


def test_meetings_are_the_steering_groups_and_recorded_by_the_secretariat(cast, governance):
    from reporting.models import Decision, Meeting

    every_meeting = {governance["meeting"]}
    assert ask(Meeting.objects.visible_to, cast, lambda m: m.pk) == {
        **{key: set() for key in CAST},
        "viewer": every_meeting,
        "secretariat": every_meeting,
    }
    assert ask(Meeting.objects.manageable_by, cast, lambda m: m.pk) == {
        **{key: set() for key in CAST},
        "secretariat": every_meeting,
    }
    decisions = ask(Decision.objects.visible_to, cast, lambda d: d.text)
    assert decisions["viewer"] == {"Customs reviews the ports."} and decisions["lead"] == set()


def test_follow_ups_are_seen_by_their_owners_and_moved_on_by_leads_and_owners(cast, governance):
    from reporting.models import FollowUp

    both = {"Report on the ports review.", "Brief the Minister."}
    assert ask(FollowUp.objects.visible_to, cast, lambda f: f.what) == {
        **NOBODY,
        "viewer": both,
        "secretariat": both,
        "contributor": {"Report on the ports review."},
        "lead": {"Report on the ports review."},
        "other_lead": {"Brief the Minister."},
    }
    assert ask(FollowUp.objects.updatable_by, cast, lambda f: f.what) == {
        **NOBODY,
        "viewer": set(),
        "secretariat": both,
        "contributor": set(),
        "lead": {"Report on the ports review."},
        "other_lead": {"Brief the Minister."},
    }


def test_dependencies_are_reference_data_linked_by_the_secretariat(cast, governance):
    from reporting.models import ActionDependency

    link = {"3b on 1"}

    def label(d):
        return f"{d.action.number} on {d.depends_on.number}"

    assert ask(ActionDependency.objects.visible_to, cast, label) == {
        **NOBODY,
        **dict.fromkeys(CAST[2:], link),
    }
    assert ask(ActionDependency.objects.manageable_by, cast, label) == {
        **{key: set() for key in CAST},
        "secretariat": link,
    }


def test_an_agency_coordinating_an_action_as_a_whole_reads_its_lines(world, other_agency):
    """Like Corrections on the source's action 14: coordinating the action itself, not only a
    line, is enough to read every part of it."""
    whole = ActionAgency.objects.create(action=world.actions["3"], agency=other_agency)
    ActionAgency.objects.filter(action__in=[world.actions["3a"], world.actions["3b"]]).filter(
        agency=other_agency
    ).delete()
    member = MembershipFactory(agency=other_agency, user=UserFactory(username="whole")).user
    assert {a.number for a in Action.objects.progress_visible_to(member)} >= {"3", "3a", "3b"}
    whole.delete()
    assert "3a" not in {a.number for a in Action.objects.progress_visible_to(member)}
