"""A revised plan file, as the secretariat makes one: the plan exported, then changed."""

import csv
import io

from actions.services import export_plan

NEW_ACTION = {
    "number": "99",
    "title": "Publish a yearly progress summary",
    "lead_agencies": "Police",
    "timeframe": "2027",
}


def revised_plan(plan, *, title_of: str = "1", new_title: str = "A clearer first action"):
    """The plan exported as CSV with one action's title changed and a new action at the end:
    what the secretariat uploads after revising the plan in Excel."""
    exported = io.BytesIO()
    export_plan(plan, exported, format="csv")
    rows = list(csv.DictReader(io.StringIO(exported.getvalue().decode("utf-8-sig"))))
    for row in rows:
        if row["number"] == title_of:
            row["title"] = new_title
    rows.append({column: NEW_ACTION.get(column, "") for column in rows[0]})
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return io.BytesIO(text.getvalue().encode("utf-8"))
