"""The register and the follow-up actions as CSV or XLSX: the rows the person may see, with the
protective marking of the text they hold as the first line, and every text cell formula-quoted."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from core.spreadsheets import guard_formula
from reporting.models.reports import DEFAULT_MARKING, ProtectiveMarking

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RISK_COLUMNS = (
    "Reference", "Plan", "Title", "Description", "Cause", "Consequence", "Owner agency",
    "Likelihood", "Consequence rating", "Rating", "Level", "Treatment", "Residual rating",
    "Residual level", "Next review", "Review overdue", "Status", "Linked actions",
    "Raised from return", "Withheld under",
)  # fmt: skip
FOLLOW_UP_COLUMNS = (
    "Reference", "Meeting", "Decision", "What", "Owner", "Due", "Overdue", "Status", "Notes",
)  # fmt: skip


def risk_rows(risks, today) -> list[list]:
    rows = []
    for risk in risks:
        source = risk.source_update
        rows.append(
            [
                risk.reference,
                risk.plan.short_title,
                risk.title,
                risk.description,
                risk.cause,
                risk.consequence,
                risk.owner_agency.short_name,
                f"{risk.likelihood} {risk.likelihood_word}",
                f"{risk.consequence_rating} {risk.consequence_word}",
                risk.rating,
                risk.band.level.label,
                risk.treatment,
                risk.residual_rating,
                risk.residual_band.level.label,
                risk.review_on,
                "Yes" if risk.review_is_overdue(today) else "No",
                risk.get_status_display(),
                ", ".join(f"{a.plan.code} {a.number}" for a in risk.actions.all()),
                f"{source.agency.short_name}, {source.period.label}" if source else "",
                risk.withheld_under,
            ]
        )
    return rows


def follow_up_rows(follow_ups, today) -> list[list]:
    return [
        [
            str(f),
            str(f.meeting),
            f.decision.text if f.decision else "",
            f.what,
            f.owner_label,
            f.due_on,
            "Yes" if f.is_overdue(today) else "No",
            f.get_status_display(),
            f.notes,
        ]
        for f in follow_ups
    ]


def _cell(value):
    return guard_formula(value) if isinstance(value, str) else value


def as_csv(marking: str, title: str, columns, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([marking])
    writer.writerow([title])
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(marking: str, title: str, columns, rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([marking])
    sheet["A1"].font = Font(bold=True, color="A4161A")
    sheet.append([title])
    sheet["A2"].font = Font(bold=True, size=13)
    sheet.append(list(columns))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def marking_of_risks(risks) -> str:
    return ProtectiveMarking.highest(DEFAULT_MARKING, *(r.marking for r in risks))
