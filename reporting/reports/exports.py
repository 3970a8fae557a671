"""Spreadsheet and Word exports.

- ``updates_workbook(plan, period, user=)``: every update of a period the user may see, one row
  each, for analysts (XLSX, openpyxl). Text is always written as text, never as a formula.
- ``status_table_document(report)``: the Cabinet report's status table, from the report's
  snapshot, as a Word document the secretariat drops into a Cabinet paper (DOCX, python-docx).

Both carry the protective marking: the workbook the highest of ``DEFAULT_MARKING`` and the
markings of withheld text it contains (on its first row and in every sheet's print header and
footer); the document the report's own marking (none for the public version).
"""

import datetime
from io import BytesIO

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from actions.models import ActionAgency, ActionPlan
from core.markings import mark_workbook
from reporting.models import ProtectiveMarking, Report, ReportingPeriod, StatusUpdate, Withholding
from reporting.models.reports import DEFAULT_MARKING
from reporting.progress.assembly import read_snapshot
from reporting.progress.snapshot import Scope, build_dashboard
from reporting.statuses import REPORTED_STATES, STATUSES

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


UPDATE_COLUMNS = [
    (gettext_lazy("Action"), 10),
    (gettext_lazy("Action title"), 50),
    (gettext_lazy("Agency"), 18),
    (gettext_lazy("Agency's role"), 14),
    (gettext_lazy("Counts in the line's status"), 12),
    (gettext_lazy("Status"), 14),
    (gettext_lazy("Per cent complete"), 10),
    (gettext_lazy("Return state"), 16),
    (gettext_lazy("Submitted late"), 10),
    (gettext_lazy("Submitted"), 18),
    (gettext_lazy("Progress commentary"), 60),
    (gettext_lazy("Risks and issues"), 50),
    (gettext_lazy("Next steps"), 50),
    (gettext_lazy("Withheld from proactive release"), 24),
    (gettext_lazy("Demonstration data"), 12),
]


def updates_workbook(plan: ActionPlan, period: ReportingPeriod, *, user) -> bytes:
    """The period's updates on the plan's actions that ``user`` may see, as an XLSX file."""
    updates = list(
        StatusUpdate.objects.visible_to(user)
        .filter(action__plan=plan, period=period)
        .select_related("action", "agency")
        .order_by("action__sort_key", "agency__short_name")
    )
    coordinations = ActionAgency.objects.filter(action__plan=plan)
    roles = {
        (c.action_id, c.agency_id): c.role_label
        for c in coordinations.only("action_id", "agency_id", "role", "designated_at")
    }
    responsible = set(coordinations.responsible().values_list("action_id", "agency_id"))
    withheld: dict[int, list[Withholding]] = {}
    for item in Withholding.objects.filter(update__in=[u.pk for u in updates]):
        withheld.setdefault(item.update_id, []).append(item)
    marking = ProtectiveMarking.highest(
        DEFAULT_MARKING, *(w.marking for items in withheld.values() for w in items)
    )

    book = Workbook()
    sheet = book.active
    sheet.title = _("Updates")
    bold = Font(bold=True)
    sheet.append([marking])
    sheet["A1"].font = Font(bold=True, color="A4161A")
    sheet.append(
        [_("%(plan)s: updates for %(period)s") % {"plan": plan.title, "period": period.long_label}]
    )
    sheet["A2"].font = Font(bold=True, size=13)
    as_at = date_format(timezone.localtime(), "DATETIME_FORMAT")
    demo = any(u.is_demo for u in updates)
    sheet.append(
        [
            _("As at %(as_at)s.") % {"as_at": as_at}
            + (" " + _("Contains demonstration data (sample updates).") if demo else "")
        ]
    )
    header_row = 4
    sheet.append([str(name) for name, _width in UPDATE_COLUMNS])
    for column, (_name, width) in enumerate(UPDATE_COLUMNS, start=1):
        cell = sheet.cell(row=header_row, column=column)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="E8EEF4")
        sheet.column_dimensions[get_column_letter(column)].width = width
    for update in updates:
        submitted = timezone.localtime(update.submitted_at) if update.submitted_at else None
        _append_text_row(
            sheet,
            [
                f"{plan.code} {update.action.number}",
                update.action.title,
                update.agency.short_name,
                roles.get((update.action_id, update.agency_id), _("No longer coordinating")),
                _("Yes")
                if (update.action_id, update.agency_id) in responsible
                and update.state in REPORTED_STATES
                else _("No"),
                update.get_status_display(),
                update.percent_complete,
                update.get_state_display(),
                _("Yes") if update.is_late else _("No"),
                submitted.replace(tzinfo=None) if submitted else None,
                update.commentary,
                update.risks,
                update.next_steps,
                _withheld_summary(withheld.get(update.pk, [])),
                _("Yes") if update.is_demo else _("No"),
            ],
        )
    for row in sheet.iter_rows(min_row=header_row + 1):
        row[9].number_format = "yyyy-mm-dd hh:mm"
        for cell in row[10:13]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    if updates:
        last_column = get_column_letter(len(UPDATE_COLUMNS))
        sheet.auto_filter.ref = f"A{header_row}:{last_column}{header_row + len(updates)}"
    _status_sheet(book.create_sheet(_("Status")), plan, period, user=user, marking=marking)
    book.properties.title = _("%(plan)s updates, %(period)s") % {
        "plan": plan.short_title,
        "period": period.label,
    }
    mark_workbook(book, marking)
    output = BytesIO()
    book.save(output)
    return output.getvalue()


STATUS_COLUMNS = [
    (gettext_lazy("Action or line"), 14),
    (gettext_lazy("Kind"), 10),
    (gettext_lazy("Title"), 50),
    (gettext_lazy("Responsible"), 30),
    (gettext_lazy("Supporting"), 24),
    (gettext_lazy("Status"), 16),
    (gettext_lazy("Lines reported"), 10),
    (gettext_lazy("Per cent complete"), 10),
    (gettext_lazy("Previous quarter"), 16),
]


def _status_sheet(sheet, plan: ActionPlan, period: ReportingPeriod, *, user, marking: str) -> None:
    """Every action and line with its status by the status rule: the dashboard's figures."""
    data = build_dashboard(plan, period, scope=Scope.of(user))
    sheet.append([marking])
    sheet["A1"].font = Font(bold=True, color="A4161A")
    sheet.append(
        [
            _("%(plan)s: status of %(actions)s actions in %(lines)s reportable lines, %(period)s")
            % {
                "plan": plan.title,
                "actions": data["action_count"],
                "lines": data["reportable_count"],
                "period": period.label,
            }
        ]
    )
    sheet["A2"].font = Font(bold=True, size=13)
    sheet.append(
        [
            _(
                "The status rule: docs/status-rule.md. A line's status comes from the "
                "returns of the agencies responsible for it; an action's from its lines."
            )
        ]
    )
    sheet.append([str(name) for name, _width in STATUS_COLUMNS])
    for column, (_name, width) in enumerate(STATUS_COLUMNS, start=1):
        sheet.cell(row=4, column=column).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    for row in data["actions"]:
        shown = row["is_reportable"] or row["has_parts"]
        _append_text_row(
            sheet,
            [
                row["code"],
                row["kind_label"],
                row["title"],
                ", ".join(row["responsible"]) if not row["has_parts"] else _("Its lines'"),
                ", ".join(row["supporting"]),
                row["status_label"] if shown else _("Nobody reports on it"),
                _("%(reported)s of %(lines)s")
                % {"reported": row["lines_reported"], "lines": row["lines"]}
                if shown
                else "",
                row["percent"],
                row["previous_status_label"] if shown and data["previous_period"] else "",
            ],
        )
    sheet.freeze_panes = "B5"


def _withheld_summary(items: list[Withholding]) -> str:
    return "; ".join(f"{item.get_field_display()}: s {item.ground}" for item in items)


def _append_text_row(sheet, values: list) -> None:
    """Append a row; text stays text (a commentary starting with “=” is not a formula)."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


@translation.override(settings.LANGUAGE_CODE)
def status_table_document(report: Report) -> bytes:
    """The status of every action, as in the Cabinet report, as a Word document: the report's
    annex, so in English as the report is."""
    data = read_snapshot(report.snapshot)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Mm(18))
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Arial", Pt(10)
    if report.marking:
        for part in (section.header, section.footer):
            paragraph = part.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(report.marking)
            run.bold, run.font.color.rgb = True, RGBColor(0xA4, 0x16, 0x1A)

    document.add_heading(
        _("Status of every action and line, %(period)s") % {"period": data["period"]["label"]},
        level=1,
    )
    as_at = timezone.localtime(datetime.datetime.fromisoformat(data["as_at"]))
    document.add_paragraph(
        _("%(plan)s: %(actions)s actions in %(lines)s reportable lines. As at %(as_at)s.")
        % {
            "plan": data["plan"]["title"],
            "actions": data["action_count"],
            "lines": data["reportable_count"],
            "as_at": f"{as_at:%d %B %Y, %H:%M}",
        }
    )
    if data["has_demo"]:
        document.add_paragraph(_("Contains demonstration data: sample updates, not real returns."))
    previous = data["previous_period"]
    headings = [_("Action or line"), _("Title"), _("Responsible"), _("Status")] + (
        [previous["label"]] if previous else []
    )
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        cell.text = heading
        cell.paragraphs[0].runs[0].bold = True
        _shade(cell, "E8EEF4")
    _repeat_as_header(table.rows[0])
    for action in data["actions"]:
        cells = table.add_row().cells
        cells[0].text = action["code"]
        cells[1].text = (
            _("Strand: %(title)s") % {"title": action["title"]}
            if action["kind"] == "strand"
            else action["title"]
        )
        cells[2].text = (
            _("Its lines'")
            if action["has_parts"]
            else ", ".join(action["responsible"]) or _("No coordinating agency")
        )
        shown = action["is_reportable"] or action["has_parts"]
        if shown:
            cells[3].text = (
                action["status_label"]
                + (f" ({action['reported_summary']})" if action["has_parts"] else "")
                + (" " + _("(past end)") if action["is_past_end"] else "")
            )
            if shading := STATUSES[action["status"]].word_shading:
                _shade(cells[3], shading)
        else:
            cells[3].text = _("Nobody reports on it")
        if previous and shown:
            changed = " " + _("(changed)") if action["changed"] else ""
            cells[4].text = f"{action['previous_status_label']}{changed}"
    for row in table.rows:
        for width, cell in zip((Mm(22), Mm(120), Mm(45), Mm(35), Mm(35)), row.cells, strict=False):
            cell.width = width
    document.core_properties.title = _("%(title)s: status table, %(period)s") % {
        "title": report.title,
        "period": data["period"]["label"],
    }
    document.core_properties.keywords = report.marking
    output = BytesIO()
    document.save(output)
    return output.getvalue()


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_as_header(row) -> None:
    """Repeat the heading row at the top of every page the table runs on."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)
