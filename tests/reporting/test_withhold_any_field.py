"""Any part of the plan can be withheld from proactive release, and no public output holds it.

One scene withholds every kind of thing, each with text found nowhere else (a made-up word):
an action's title, description, resourcing, agencies and success measures, a whole action
(with its sub-actions), a strand's title, each text of one update, a whole update, a comment,
a risk and, by the public version's rule, every evidence name. Then every public output is
built for real (each audience's public PDF, read back with pypdf, its HTML and Word status
table, the stored snapshot, the release pack, the public pages) and searched for each word:
none is there, and "[withheld under s …]" is, in its place. The full version still prints them.
"""

import datetime
import io
import json
import re

import pytest
from django.core.cache import cache
from django.test import Client
from docx import Document
from pypdf import PdfReader

from reporting.conversation.services import withhold_comment
from reporting.models import (
    ActionDependency,
    Comment,
    Evidence,
    Report,
    Risk,
    StatusUpdate,
    Withholding,
)
from reporting.releases import services as releases
from reporting.reports import building, documents
from reporting.reports.exports import status_table_document
from tests.actions.factories import (
    ActionAgencyFactory,
    ActionFactory,
    IndicatorReadingFactory,
    SuccessMeasureFactory,
)
from tests.agencies.factories import AgencyFactory
from tests.reporting.reports_setup import small_plan

pytestmark = pytest.mark.django_db
AUDIENCES = [choice for choice, _ in Report.Audience.choices]
F = Withholding.Field

# Each withheld thing: the made-up words its text holds, and the ground it is withheld under.
WITHHELD = {
    "title": (["Kestrelgate"], "6(a)"),
    "description": (["Lyttelquay"], "6(b)"),
    "resourcing": (["Quokkafund"], "9(2)(b)(ii)"),
    "agencies": (["Zephyrwatch"], "9(2)(a)"),
    "measures": (["Pseudotonnes", "Wairaupoint"], "6(c)"),
    "whole action": (["Pukekobill", "Pukekoclause", "Pukekosearch", "Pukekoprogress"], "6(d)"),
    "strand": (["Takahestrand"], "9(2)(h)"),
    "update fields": (["Keacommentary", "Kearisks", "Keanextsteps"], "9(2)(g)(i)"),
    "whole update": (["Moacommentary", "Moarisks", "Moanextsteps"], "9(2)(ba)(i)"),
    "comment": (["Tuicomment"], "9(2)(c)"),
    "risk": (["Wetatitle", "Wetadescription", "Wetatreatment"], "9(2)(j)"),
    "evidence name": (["Huiaevidence"], ""),  # the public version lists no evidence at all
}
SECRET_WORDS = [word for words, _ in WITHHELD.values() for word in words]
# What no output prints in either version: a comment's conversation stays on the update's page.
NEVER_PRINTED = {"Tuicomment"}


def placeholder(kind: str) -> str:
    return f"[withheld under s {WITHHELD[kind][1]}]"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()


@pytest.fixture
def scene(agency, other_agency, secretariat_user):
    """The small plan (reports_setup.py) with every kind of thing withheld."""
    setup = small_plan(agency, other_agency)
    plan, period, actions, updates = setup.plan, setup.period, setup.actions, setup.updates

    def withhold(kind, **target):
        return Withholding.objects.create(ground=WITHHELD[kind][1], **target)

    one, two, three = actions["1"], actions["2"], actions["3"]
    one.title = "Kestrelgate harbour sweep"
    one.save()
    withhold("title", action=one, field=F.TITLE)
    two.description = "Informants around Lyttelquay wharf"
    two.resourcing = "Quokkafund allocation of $9.7m"
    two.save()
    withhold("description", action=two, field=F.DESCRIPTION)
    withhold("resourcing", action=two, field=F.RESOURCING)
    zephyr = AgencyFactory(name="Zephyrwatch Harbour Unit", short_name="Zephyrwatch")
    ActionAgencyFactory(action=one, agency=zephyr)  # no return yet: an outstanding one
    withhold("agencies", action=one, field=F.AGENCIES)
    measure = SuccessMeasureFactory(
        action=two,
        indicator="Pseudotonnes seized",
        statement="Seizures at Wairaupoint rise",
        unit="tonnes",
        baseline=0,
        target=10,
    )
    IndicatorReadingFactory(measure=measure, date=period.ends_on, value=4)
    withhold("measures", action=two, field=F.MEASURES)
    three.title, three.description = "Pukekobill amendments", "Pukekobill in detail"
    three.save()
    actions["3a"].title, actions["3b"].title = "Pukekoclause maritime", "Pukekosearch powers"
    actions["3a"].save()
    actions["3b"].save()
    StatusUpdate.objects.filter(pk=updates[("3a", "customs", period.code)].pk).update(
        commentary="Pukekoprogress on the bill"
    )
    withhold("whole action", action=three, field=F.ACTION)
    four = ActionFactory(plan=plan, number="4", title="Open-source intelligence")
    strand = ActionFactory(
        plan=plan, parent=four, number="4s", kind="strand", title="Takahestrand undercover"
    )
    ActionAgencyFactory(action=strand, agency=other_agency)
    withhold("strand", action=strand, field=F.TITLE)
    police_two = updates[("2", "police", period.code)]
    StatusUpdate.objects.filter(pk=police_two.pk).update(
        commentary="Keacommentary on informants",
        risks="Kearisks of exposure",
        next_steps="Keanextsteps: the raid",
    )
    for field in (F.COMMENTARY, F.RISKS, F.NEXT_STEPS):
        withhold("update fields", update=police_two, field=field)
    customs_one = updates[("1", "customs", period.code)]
    StatusUpdate.objects.filter(pk=customs_one.pk).update(
        status=StatusUpdate.Status.OFF_TRACK,
        commentary="Moacommentary on the sweep",
        risks="Moarisks to officers",
        next_steps="Moanextsteps: more scanners",
    )
    withhold("whole update", update=customs_one, field=F.UPDATE)
    comment = Comment.objects.create(
        update=customs_one, body="Tuicomment names the informant", update_version=1
    )
    withhold_comment(
        comment, ground="9(2)(c)", marking="IN CONFIDENCE", note="", by=secretariat_user
    )
    Risk.objects.create(
        plan=plan,
        title="Wetatitle: informants exposed",
        description="Wetadescription of the exposure",
        treatment="Wetatreatment: move them",
        owner_agency=agency,
        likelihood=5,
        consequence_rating=5,
        residual_likelihood=3,
        residual_consequence=3,
        review_on=datetime.date(2026, 12, 1),
        withheld_under=WITHHELD["risk"][1],
    ).actions.add(two)
    Evidence.objects.create(
        update=police_two, name="Huiaevidence briefing", url="https://example.org/brief"
    )
    # Off-track actions others depend on: TSOC 1 (its title withheld) and 3a (part of 3).
    ActionDependency.objects.create(action=four, depends_on=one)
    ActionDependency.objects.create(action=one, depends_on=actions["3a"])
    return setup


def built(setup, audience: str, variant: str, by) -> Report:
    report = Report.objects.create(
        plan=setup.plan,
        period=setup.period,
        audience=audience,
        variant=variant,
        requested_by=by,
    )
    report = building.build_report(report.pk)
    assert report.state == Report.State.READY, report.error
    return report


def pdf_text(file) -> str:
    """A PDF's text with every run of white space one space, so a phrase broken across lines
    (or a word across pages) is still found."""
    reader = PdfReader(io.BytesIO(file.read()))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def report_outputs(report: Report) -> dict[str, str]:
    """Every form a built report takes, as text: PDF, HTML, stored snapshot, Word table."""
    forms = {
        "pdf": pdf_text(report.file),
        "html": documents.report_html(report),
        "snapshot": json.dumps(Report.objects.get(pk=report.pk).snapshot),
    }
    if report.has_status_table:
        document = Document(io.BytesIO(status_table_document(report)))
        forms["status table"] = " ".join(
            cell.text for table in document.tables for row in table.rows for cell in row.cells
        )
    return forms


def public_outputs(setup, by) -> dict[str, str]:
    """Every public output of the scene: each audience's public report in all its forms, the
    release pack of one, and every public page."""
    outputs, reports = {}, {}
    for audience in AUDIENCES:
        reports[audience] = built(setup, audience, Report.Variant.PUBLIC, by)
        for form, text in report_outputs(reports[audience]).items():
            outputs[f"{audience} {form}"] = text
    release = releases.approve_public_version(reports["steering"], by=by, expected_version=0)
    release = releases.release_report(
        release, by=by, expected_version=release.version, release_date=datetime.date(2026, 11, 20)
    )
    outputs["release pack"] = pdf_text(release.pack)
    anonymous = Client()
    for path in ("/public/", f"/public/{setup.plan.slug}/"):
        response = anonymous.get(path)
        assert response.status_code == 200, path
        outputs[f"public page {path}"] = response.content.decode()
    return outputs


def test_no_public_output_holds_any_withheld_text_and_each_shows_the_marker(
    scene, secretariat_user
):
    outputs = public_outputs(scene, secretariat_user)

    found = {
        (name, word)
        for name, text in outputs.items()
        for word in SECRET_WORDS
        if word.lower() in text.lower()
    }
    assert found == set()
    for audience in AUDIENCES:
        pdf = outputs[f"{audience} pdf"]
        # Titles keep their numbers: the reader sees which action is withheld, and under what.
        assert f"TSOC 1: {placeholder('title')}" in pdf, audience
        assert re.search(rf"TSOC 3a?:? {re.escape(placeholder('whole action'))}", pdf), audience
    steering = outputs["steering pdf"]
    for kind in ("agencies", "update fields", "whole update", "risk", "measures", "description"):
        assert placeholder(kind) in steering, kind
    assert f"TSOC 4s: strand “{placeholder('strand')}”" in steering
    assert f"TSOC 4: Open-source intelligence TSOC 1: {placeholder('title')}" in outputs["sib pdf"]
    assert placeholder("title") in outputs[f"public page /public/{scene.plan.slug}/"]
    assert placeholder("title") in outputs["release pack"]
    assert placeholder("title") in outputs["cabinet status table"]


def test_the_public_snapshot_holds_the_marker_in_every_place_the_text_was(scene, secretariat_user):
    report = built(scene, "steering", Report.Variant.PUBLIC, secretariat_user)
    data = Report.objects.get(pk=report.pk).snapshot
    rows = {row["number"]: row for row in data["actions"]}

    assert rows["1"]["title"] == placeholder("title")
    assert rows["2"]["description"] == placeholder("description")
    assert rows["2"]["resourcing"] == placeholder("resourcing")
    assert rows["1"]["coordinators"] == [
        {"agency": placeholder("agencies"), "role": "", "role_label": ""}
    ]
    assert rows["1"]["responsible"] == [placeholder("agencies")]
    assert {u["agency"] for u in rows["1"]["updates"]} == {placeholder("agencies")}
    for number in ("3", "3a", "3b"):  # the whole action takes its sub-actions with it
        assert rows[number]["title"] == placeholder("whole action")
    assert rows["3a"]["updates"][0]["commentary"] == placeholder("whole action")
    assert rows["4s"]["title"] == placeholder("strand")
    assert rows["4"]["title"] == "Open-source intelligence"
    (indicator,) = data["indicators"]
    assert indicator["indicator"] == indicator["statement"] == placeholder("measures")
    assert indicator["latest"] == 4  # the figures stay
    dependencies = data["governance"]["dependencies"]["on_off_track"]
    assert {(d["action_title"], d["depends_on_title"]) for d in dependencies} == {
        ("Open-source intelligence", placeholder("title")),
        (placeholder("title"), placeholder("whole action")),
    }
    outstanding = {(r["number"], r["agency"]) for r in data["returns"]["outstanding"]}
    assert ("1", placeholder("agencies")) in outstanding
    assert placeholder("agencies") in {a["agency"] for a in data["agencies"]}


def test_a_withheld_action_still_counts_in_the_figures(scene, secretariat_user):
    public = built(scene, "steering", Report.Variant.PUBLIC, secretariat_user).snapshot
    full = built(scene, "steering", Report.Variant.FULL, secretariat_user).snapshot

    for figure in ("action_count", "line_count", "counts", "action_counts", "returns", "trend"):
        if figure == "returns":
            assert public[figure]["expected"] == full[figure]["expected"]
            assert public[figure]["received"] == full[figure]["received"]
        else:
            assert public[figure] == full[figure], figure
    assert sum(a["total"] for a in public["agencies"]) == sum(a["total"] for a in full["agencies"])


def test_the_release_names_every_ground_the_withheld_parts_use(scene, secretariat_user):
    report = built(scene, "steering", Report.Variant.PUBLIC, secretariat_user)
    release = releases.approve_public_version(report, by=secretariat_user, expected_version=0)

    printed = {ground for words, ground in WITHHELD.values() if ground} - {"9(2)(c)"}
    assert set(release.grounds) == printed  # the comment is in no report, nor its ground


def test_the_full_version_still_prints_what_is_withheld(scene, secretariat_user):
    report = built(scene, "steering", Report.Variant.FULL, secretariat_user)
    outputs = report_outputs(report)

    missing = [
        word
        for word in SECRET_WORDS
        if word not in NEVER_PRINTED and word not in outputs["snapshot"]
    ]
    assert missing == []
    for word in ("Kestrelgate", "Zephyrwatch", "Pukekoclause", "Takahestrand", "Wetatitle"):
        assert word in outputs["pdf"], word
    assert "(withheld from public release: s 6(a))" in outputs["pdf"]
    assert "(agencies withheld from public release: s 9(2)(a))" in outputs["pdf"]
    assert report.marking  # and it is marked
