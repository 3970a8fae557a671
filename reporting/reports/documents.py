"""The HTML of a report, from its snapshot: the sections each audience's template reads."""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from reporting.governance.heatmap import consequence_headings, heat_map_svg
from reporting.models import Report
from reporting.progress.assembly import read_snapshot
from reporting.reports.charts import dashboard_charts
from reporting.reports.rendering import SECTION_BREAK, static_url
from reporting.statuses import EXCEPTION_STATUSES, NO_RETURN, STATUS_LABELS, STATUSES

# A long list of actions is cut into sections of this many, each rendered on its own, so a
# pack's memory stays bounded whatever the size of the plan (reporting.reports.rendering).
ACTIONS_PER_SECTION = 100
# The Cabinet report lists at most this many lines of each kind of exception, so it stays the
# same length at any size of plan; every line is in its status table (Word) and the period's
# updates (XLSX).
EXCEPTIONS_LISTED = 8


def report_html(report: Report, *, release: dict | None = None) -> str:
    """The report as HTML, from its snapshot alone; with ``release`` (publisher, date, stamp,
    grounds key), the release pack: a release cover first and every page stamped."""
    data = read_snapshot(report.snapshot)
    # A report reads the same whoever builds it, in English, with agencies' Māori names on the
    # cover beside their English ones.
    with translation.override(settings.LANGUAGE_CODE):
        charts = dashboard_charts(data, prefix="pdf")
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
            "exception_groups": exception_groups(data),
            "exceptions_listed": EXCEPTIONS_LISTED,
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


def exception_groups(data: dict, listed: int = EXCEPTIONS_LISTED) -> list[dict]:
    """The Cabinet report's exceptions: the reportable lines off track, at risk (worst first, by
    the status table in ``reporting.statuses``), with no return yet, and past the end of their
    timeframe, each kind with how many lines it has (``count``) and the first ``listed`` of them
    in plan order (``lines``, each with the return that counts in its status), and how many
    more there are (``not_listed``)."""
    lines = [a for a in data["actions"] if a["is_reportable"]]
    kinds = [
        (status, STATUS_LABELS[status], [a for a in lines if a["status"] == status])
        for status in sorted(EXCEPTION_STATUSES, key=lambda s: STATUSES[s].severity)
    ]
    kinds.append(
        (NO_RETURN, STATUS_LABELS[NO_RETURN], [a for a in lines if a["status"] == NO_RETURN])
    )
    past_end = [a for a in lines if a["is_past_end"]]
    kinds.append(("past-end", _("Past the end of their timeframe, not finished"), past_end))
    return [
        {
            "slug": slug,
            "label": label,
            "count": len(found),
            "lines": [{"line": a, "return": _counting_return(a)} for a in found[:listed]],
            "not_listed": max(len(found) - listed, 0),
        }
        for slug, label, found in kinds
    ]


def _counting_return(line: dict) -> dict | None:
    """The first return that counts in the line's status (its responsible agency's)."""
    return next((u for u in line["updates"] if u["counts"]), None)


def governance_sections(data: dict) -> dict:
    """The heat map drawn from the snapshot's governance part (none in older snapshots)."""
    governance = data.get("governance")
    if not governance:
        return {}
    grid = governance["risks"]["heat_map"]
    return {
        "governance": governance,
        "risk_heat_map": heat_map_svg(grid, id_prefix="pdf-risks", caption=_("Risks by rating")),
        "risk_headings": consequence_headings(),
    }


def indicator_items(data: dict, charts: dict) -> list[dict]:
    """Each indicator with its chart, and whether any or all of its readings are demonstration
    data."""
    return [
        {
            "data": i,
            "chart": chart,
            "is_demo": any(r["is_demo"] for r in i["readings"]),
            "all_demo": bool(i["readings"]) and all(r["is_demo"] for r in i["readings"]),
        }
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
                "name": _("Actions not tagged to a priority area"),
                "description": "",
                "actions": [by_id[i] for i in data["unprioritised_action_ids"]],
            }
        )
    for section in sections:
        section["action_count"] = sum(not a["parent_number"] for a in section["actions"])
        section["line_count"] = sum(a["is_reportable"] for a in section["actions"])
    return sections
