"""The shipped strategies held whole and as their sources word them, on the strategy page and
in the API; facts the sources don't state carry their mark."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from actions.models import (
    Action,
    ActionAgency,
    ActionPlan,
    Assumption,
    Strategy,
    StrategyPriorityAction,
    StrategySection,
    WorkProgrammeOverview,
)
from actions.services.exports import plan_rows

from .conftest import TNOC_PLAN, TSOC_PLAN

TSOC_OFFENDING_TYPES = [
    "Trading in illicit goods",
    "Trading in criminal services",
    "Irregular migration, migrant exploitation, and trafficking in persons",
    "Environment crimes",
    "Cybercrime and Cyber enabled crime",
    "Financial crime",
    "Drug trafficking.",
]
TSOC_ENABLERS = [
    "Money Laundering",
    "Corruption of officials and trusted insiders",
    "Professional Enablers",
    "Technology",
]
CONTRIBUTING_AGENCIES = [
    "Department of Conservation",
    "Department of Corrections",
    "Department of the Prime Minister and Cabinet",
    "Government Communications Security Bureau",
    "Inland Revenue",
    "Ministry for Primary Industries",
    "Ministry of Business, Innovation and Employment",
    "Ministry of Defence",
    "Ministry of Foreign Affairs and Trade",
    "Ministry of Justice",
    "Ministry of Transport",
    "National Maritime Coordination Centre",
    "New Zealand Customs Service",
    "New Zealand Defence Force",
    "New Zealand Police",
    "Serious Fraud Office",
]


def section(strategy: str, kind: str) -> StrategySection:
    return StrategySection.objects.get(strategy__slug=strategy, kind=kind)


def bodies(strategy: str, kind: str) -> list[str]:
    return [i.body or i.title for i in section(strategy, kind).items.filter(parent=None)]


# TSOC Strategy (004) -------------------------------------------------------------------------


def test_tsoc_has_its_goal_sentence_and_the_introduction_to_its_priorities(seeded):
    tsoc = Strategy.objects.get(slug="tsoc")
    assert tsoc.goal == (
        "Our goal is to prevent harm caused by TSOC to New Zealand's communities, economy, "
        "environment and reputation."
    )
    assert tsoc.priority_areas_introduction.startswith(
        "The TSOC Strategy retains the priority strategic focus areas identified in the "
        "Transnational Organised Crime (TNOC) Strategy 2020–2025."
    )


def test_tsoc_te_ao_maori_principles_are_their_own_section_with_the_framing_sentence(seeded):
    maori = section("tsoc", "te_ao_maori_principles")
    assert maori.introduction == (
        "The way we work aligns well with three core Te Ao Māori principles:"
    )
    assert [i.title for i in maori.items.all()] == ["Manaakitanga", "Tāngata Tiaki", "Kotahitanga"]
    principles = bodies("tsoc", "principles")
    assert len(principles) == 3
    assert not any("Manaakitanga" in p for p in principles)


def test_tsoc_definition_offending_types_and_enablers_as_the_source_words_them(seeded):
    assert section("tsoc", "definition").introduction == (
        "Transnational or domestic serious crime planned, coordinated and conducted by a group or "
        "network for the purpose of gaining profit, power, or influence."
    )
    assert bodies("tsoc", "offending_types") == TSOC_OFFENDING_TYPES
    assert bodies("tsoc", "enablers") == TSOC_ENABLERS


def test_tsoc_sixteen_success_statements_are_in_four_blocks_of_four(seeded):
    blocks = section("tsoc", "success").items.filter(parent=None)
    assert [block.children.count() for block in blocks] == [4, 4, 4, 4]
    assert blocks[1].children.first().body.startswith("Government agencies engage efficiently")
    assert blocks[3].children.last().body.startswith("New Zealand has sound international")


# TNOC Strategy 2020–2025 (001) ----------------------------------------------------------------


def test_tnoc_principles_have_their_short_and_long_forms(seeded):
    principles = section("tnoc-2020-2025", "principles").items.all()
    assert [p.title for p in principles] == [
        "Prevention first", "Systems thinking", "Intelligence-led", "Evidence-based"
    ]  # fmt: skip
    assert principles[0].summary == "Proactive and more prevention-oriented response."
    assert principles[0].body.startswith("New Zealand's borders start offshore.")


def test_tnoc_definition_types_harms_enablers_and_next_steps(seeded):
    definition = section("tnoc-2020-2025", "definition")
    assert definition.introduction.startswith("TNOC is crime that operates across national borders")
    assert bodies("tnoc-2020-2025", "definition") == [
        "It is planned and systematic criminal activity.",
        "It is committed by a group or network.",
        "It is carried out to gain profit, power or influence.",
    ]
    families = section("tnoc-2020-2025", "offending_types").items.filter(parent=None)
    assert {f.title: [c.title for c in f.children.all()] for f in families} == {
        "Illegal commodities and people transfers": [
            "Illicit drug crime",
            "Illegal, irregular and unreported fishing (IUU)",
            "Flora and fauna trafficking",
            "Migrant exploitation",
        ],
        "Illegal value transfers": ["Fraud", "Tax evasion"],
    }
    assert [i.title for i in section("tnoc-2020-2025", "harms").items.filter(parent=None)] == [
        "Harm to society", "Harm to the economy", "Harm to New Zealand's reputation"
    ]  # fmt: skip
    assert [i.title for i in section("tnoc-2020-2025", "enablers").items.all()] == [
        "Money laundering", "Corruption", "Identity fraud", "Computer crime"
    ]  # fmt: skip
    assert section("tnoc-2020-2025", "next_steps").introduction.startswith(
        "An action plan is being developed to implement this strategy."
    )
    assert len(bodies("tnoc-2020-2025", "vulnerabilities")) == 7
    assert len(bodies("tnoc-2020-2025", "indicators")) == 4


def test_tnoc_priority_actions_have_bullets_and_the_plan_actions_delivering_them(seeded):
    actions = StrategyPriorityAction.objects.filter(priority_area__strategy__slug="tnoc-2020-2025")
    assert actions.count() == 11
    governance = actions.get(title="Establish a system-wide governance model")
    assert governance.bullets[0] == "is robust and sustainable"
    assert governance.lead_in == "Establish a system-wide governance model that"
    assert [a.number for a in governance.delivered_by.order_by("sort_key")] == ["1.1", "1.2"]
    without = [a.title for a in actions if not a.delivered_by.exists()]
    assert without == [
        "Partner with the private sector to identify and combat TNOC",
        "Enhance international support",
        "Optimise legislative tools that directly target the profits, leaders and associates "
        "behind TNOC",
    ]


def test_the_sixteen_contributing_agencies_are_linked_to_the_tnoc_strategy(seeded):
    tnoc = Strategy.objects.get(slug="tnoc-2020-2025")
    assert sorted(tnoc.contributing_agencies.values_list("name", flat=True)) == sorted(
        CONTRIBUTING_AGENCIES
    )


def test_the_work_programme_overview_sits_under_tnoc_marked_in_confidence(seeded):
    overview = WorkProgrammeOverview.objects.get()
    assert overview.strategy.slug == "tnoc-2020-2025"
    assert overview.marking == "IN CONFIDENCE"
    assert overview.lanes == ["Prevention", "Enforcement", "Policy & legislation", "Intelligence"]
    headings = [part["heading"] for part in overview.parts]
    assert "The flow of harm into communities" in headings
    assert "Social Wellbeing Committee organised crime work programme" in headings
    assert "National Intelligence Centre" in headings
    # 003 is the TNOC era's diagram: the TSOC strategy no longer borrows its boxes.
    assert not StrategySection.objects.filter(strategy__slug="tsoc", kind="related_programmes")


# Provenance ---------------------------------------------------------------------------------


def assumed_fields(obj) -> dict[str, str]:
    return {a.field: a.reason for a in Assumption.objects.for_object(obj)}


def test_inferred_and_assumed_facts_carry_their_mark_with_the_reason(seeded):
    tnoc_plan = ActionPlan.objects.get(slug=TNOC_PLAN)
    assert set(assumed_fields(tnoc_plan)) == {"start_date", "end_date"}
    assert "dates not given in the source" in assumed_fields(tnoc_plan)["start_date"]
    assert set(assumed_fields(ActionPlan.objects.get(slug=TSOC_PLAN))) == {"start_date", "end_date"}
    assert set(assumed_fields(Strategy.objects.get(slug="tsoc"))) == {"start_year", "end_year"}
    inferred = ActionAgency.objects.filter(action__plan__slug=TNOC_PLAN)
    assert inferred.count() == 10  # 2.1, 2.3, 3.1, 5.1; 2.4 (two); 4.1 (four)
    for coordinator in inferred:
        assert "inferred from the resourcing note" in assumed_fields(coordinator)[""]
    link = Action.objects.get(plan__slug=TSOC_PLAN, number="4c").links_to_earlier.get()
    assert assumed_fields(link)[""].startswith("link inferred")
    tsoc_3 = Action.objects.get(plan__slug=TSOC_PLAN, number="3")
    assert "tag inferred from the action's text" in assumed_fields(tsoc_3)["priority_areas"]


def test_facts_the_sources_state_carry_no_mark(seeded):
    assert assumed_fields(Strategy.objects.get(slug="tnoc-2020-2025")) == {}
    assert assumed_fields(Action.objects.get(plan__slug=TSOC_PLAN, number="17")) == {}
    sole = ActionAgency.objects.get(action__plan__slug=TSOC_PLAN, action__number="17")
    assert assumed_fields(sole) == {}
    tagged = Action.objects.filter(plan__slug=TSOC_PLAN).exclude(
        priority_areas=None, focus_areas=None
    )
    action_type = ContentType.objects.get_for_model(Action)
    marked = set(
        Assumption.objects.filter(content_type=action_type).values_list("object_id", flat=True)
    )
    assert {a.pk for a in tagged} == marked  # every tag is marked, and nothing else is


def test_a_tsoc_action_is_titled_with_its_text_and_prints_it_once(seeded):
    action = Action.objects.get(plan__slug=TSOC_PLAN, number="8")
    assert action.title == (
        "Hard-hitting nationwide media campaign to deliver a consistent message and raise "
        "awareness about the harms of methamphetamine."
    )
    assert action.description == ""
    assert action.short_title == "Hard-hitting nationwide media campaign"
    assert action.label == action.short_title


def test_the_plan_export_carries_the_assumptions(seeded):
    rows = {row["number"]: row for row in plan_rows(ActionPlan.objects.get(slug=TNOC_PLAN))}
    assert "inferred from the resourcing note" in rows["2.4"]["assumptions"]
    assert rows["1.1"]["assumptions"] == ""


# On the page and in the API -----------------------------------------------------------------


@pytest.mark.parametrize("slug", ["tsoc", "tnoc-2020-2025"])
def test_a_viewer_reads_the_whole_strategy_on_its_page(seeded, viewer, client_for, slug):
    page = client_for(viewer).get(reverse("actions:strategy_detail", args=[slug]))
    assert page.status_code == 200
    html = page.content.decode()
    strategy = Strategy.objects.get(slug=slug)
    assert strategy.vision in html
    for section in strategy.sections.all():
        assert section.heading in html.replace("&#x27;", "'")
    for area in strategy.priority_areas.all():
        assert area.name in html


def test_the_tsoc_page_shows_the_te_ao_maori_principles_and_the_assumed_years(
    seeded, viewer, client_for
):
    html = client_for(viewer).get(reverse("actions:strategy_detail", args=["tsoc"])).content
    html = html.decode()
    assert "Tāngata Tiaki" in html
    assert "The way we work aligns well with three core Te Ao Māori principles:" in html
    assert "Assumption:</strong> years not stated in the source" in html


def test_the_tnoc_page_shows_the_overview_marked_at_top_and_bottom(seeded, viewer, client_for):
    html = client_for(viewer).get(reverse("actions:strategy_detail", args=["tnoc-2020-2025"]))
    html = html.content.decode()
    overview = html[html.index('id="work-programme"') :]
    assert overview.count('<p class="marking">IN CONFIDENCE</p>') == 2
    assert "none — no action in the TNOC Action Plan 2020/21 delivers it" in html
    assert "Serious Fraud Office" in html


def test_the_plan_page_marks_the_inferred_agencies_and_dates(seeded, viewer, client_for):
    html = client_for(viewer).get(reverse("actions:plan_detail", args=[TNOC_PLAN])).content
    html = html.decode()
    assert "Assumption:</strong> dates not given in the source" in html
    assert "Assumption:</strong> inferred from the resourcing note" in html
    assert reverse("actions:strategy_detail", args=["tnoc-2020-2025"]) in html


def test_the_api_strategy_detail_returns_every_part(seeded, viewer, client_for):
    client = client_for(viewer)
    tnoc = Strategy.objects.get(slug="tnoc-2020-2025")
    data = client.get(f"/api/v1/strategies/{tnoc.pk}/").json()
    assert {s["kind"] for s in data["sections"]} >= {
        "principles", "objectives", "indicators", "vulnerabilities", "definition",
        "offending_types", "harms", "enablers", "related_programmes", "next_steps",
    }  # fmt: skip
    assert len(data["contributing_agencies"]) == 16
    private_sector = data["priority_areas"][1]["priority_actions"][2]
    assert private_sector["title"].startswith("Partner with the private sector")
    assert private_sector["delivered_by"] == []
    assert data["work_programme_overviews"][0]["marking"] == "IN CONFIDENCE"
    tsoc = client.get(f"/api/v1/strategies/{Strategy.objects.get(slug='tsoc').pk}/").json()
    assert tsoc["goal"].startswith("Our goal is to prevent harm")
    assert {a["field"] for a in tsoc["assumptions"]} == {"start_year", "end_year"}
    maori = next(s for s in tsoc["sections"] if s["kind"] == "te_ao_maori_principles")
    assert [i["title"] for i in maori["items"]] == ["Manaakitanga", "Tāngata Tiaki", "Kotahitanga"]
    success = next(s for s in tsoc["sections"] if s["kind"] == "success")
    assert [len(block["items"]) for block in success["items"]] == [4, 4, 4, 4]


def test_the_api_marks_assumed_agencies_on_actions(seeded, viewer, client_for):
    action = Action.objects.get(plan__slug=TNOC_PLAN, number="2.4")
    data = client_for(viewer).get(f"/api/v1/actions/{action.pk}/").json()
    assert all("inferred from the resourcing note" in a["assumption"] for a in data["agencies"])


def test_the_strategy_page_takes_a_fixed_number_of_queries(
    seeded, viewer, client_for, django_assert_max_num_queries
):
    client = client_for(viewer)
    url = reverse("actions:strategy_detail", args=["tnoc-2020-2025"])
    client.get(url)  # sessions, content types and the like, cached after the first request
    with django_assert_max_num_queries(22):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("update", [False, True])
def test_a_confirmed_assumption_stays_confirmed_when_the_seeds_load_again(
    seeded, secretariat_user, update
):
    from actions.services import load_plan_file, seed_plan_files

    plan = ActionPlan.objects.get(slug=TNOC_PLAN)
    assumption = Assumption.objects.for_object(plan).get(field="start_date")
    assumption.resolve(status="confirmed", by=secretariat_user)
    count = Assumption.objects.count()

    for path in seed_plan_files():
        load_plan_file(path, update=update)

    assumption.refresh_from_db()
    assert assumption.status == "confirmed"
    assert Assumption.objects.count() == count
    assert plan.open_assumptions() == [Assumption.objects.for_object(plan).get(field="end_date")]
