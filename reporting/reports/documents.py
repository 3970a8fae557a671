"""The HTML of a report, from its snapshot: the sections each audience's template reads."""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from reporting.governance.heatmap import consequence_headings, heat_map_svg
from reporting.models import Report
from reporting.progress.assembly import read_snapshot
from reporting.reports.charts import dashboard_charts
from reporting.reports.rendering import SECTION_BREAK, static_url

# A long list of actions is cut into sections of this many, each rendered on its own, so a
# pack's memory stays bounded whatever the size of the plan (reporting.reports.rendering).
ACTIONS_PER_SECTION = 100


def report_html(report: Report, *, release: dict | None = None) -> str:
    """The report as HTML, from its snapshot alone; with ``release`` (publisher, date, stamp,
    grounds key), the release pack: a release cover first and every page stamped."""
    data = read_snapshot(report.snapshot)
    charts = dashboard_charts(data, prefix="pdf")
    # A report reads the same whoever builds it, in English, with agencies' Māori names on the
    # cover beside their English ones.
    with translation.override(settings.LANGUAGE_CODE):
        return _render(report, data, charts, release)


def _render(report: Report, data: dict, charts: dict, release: dict | None) -> str:
    return render_to_string(
        f"reporting/reports/pdf/{report.audience}.html",
        {
            "report": report,
            "stylesheet": static_url("css/report.css"),
            "status_stylesheet": static_url("css/statuses.css"),
            "title": report.title,
            "audience_label": report.get_audience_display(),
            "marking": report.marking,
            "release": release,
            "data": data,
            "cover_agencies": cover_agencies(data),
            "as_at": timezone.localtime(datetime.datetime.fromisoformat(data["as_at"])),
            "charts": charts,
            "indicators": indicator_items(data, charts),
            "priority_sections": priority_sections(data),
            "exceptions": [a for a in data["actions"] if a["is_exception"]],
            "changed": [a for a in data["actions"] if a["changed"]],
            "newly_reported": [a for a in data["actions"] if a["newly_reported"]],
            "still_no_return": [a for a in data["actions"] if a["still_no_return"]],
            "not_yet_reported": [a for a in data["actions"] if a["not_yet_reported"]],
            **governance_sections(data),
            "section_break": mark_safe(SECTION_BREAK),
            "actions_per_section": ACTIONS_PER_SECTION,
        },
    )


def cover_agencies(data: dict) -> list[dict]:
    """The agencies reporting, for the cover: each official name with its Māori name, where it
    has one (a snapshot from before Māori names were kept gives the short names alone)."""
    return [
        {"name": a.get("name") or a["agency"], "maori_name": a.get("maori_name", "")}
        for a in data["agencies"]
    ]


def governance_sections(data: dict) -> dict:
    """The heat map drawn from the snapshot's governance part (none in older snapshots)."""
    governance = data.get("governance")
    if not governance:
        return {}
    grid = governance["risks"]["heat_map"]
    return {
        "governance": governance,
        "risk_heat_map": heat_map_svg(grid, id_prefix="pdf-risks", caption="Risks by rating"),
        "risk_headings": consequence_headings(),
    }


def indicator_items(data: dict, charts: dict) -> list[dict]:
    """Each indicator with its chart, and whether its readings are demonstration data."""
    return [
        {"data": i, "chart": chart, "is_demo": any(r["is_demo"] for r in i["readings"])}
        for i, chart in zip(data["indicators"], charts["indicators"], strict=True)
    ]


def priority_sections(data: dict) -> list[dict]:
    """Each priority area with its actions and lines (and the untagged ones last), for the SIB
    report, with how many of each (``action_count``, ``line_count``)."""
    by_id = {action["id"]: action for action in data["actions"]}
    sections = [
        {**area, "actions": [by_id[i] for i in area["action_ids"]]}
        for area in data["priority_areas"]
    ]
    if data["unprioritised_action_ids"]:
        sections.append(
            {
                "slug": "not-tagged",
                "name": "Actions not tagged to a priority area",
                "description": "",
                "actions": [by_id[i] for i in data["unprioritised_action_ids"]],
            }
        )
    for section in sections:
        section["action_count"] = sum(not a["parent_number"] for a in section["actions"])
        section["line_count"] = sum(a["is_reportable"] for a in section["actions"])
    return sections
