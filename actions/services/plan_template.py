"""The plan template: the spreadsheet layout plans are imported from and exported to.

One row per action (sub-actions too, naming their ``parent``), with the columns in ``COLUMNS``.
Strands have no rows of their own: they are the ``[Strand]`` cells of their action's row.

- Cells that hold several values (areas, agencies, success measures) take one value per line,
  or, in a cell of a single line, values separated by ``;``. A success measure may itself
  contain ``;`` if its cell has line breaks.
- An agency or success measure that belongs to one strand of an action starts with the strand
  in square brackets: ``[Data and Information Sharing] TSOC Department/Agency``.
- ``group`` is the path of group headings from the outermost in, joined by ``›`` (or ``>``);
  a numbered heading is written ``1. Establish a system-wide governance model``.
"""

import re

from ..models import ActionAgency, ActionGroup

COLUMNS = (
    "number",
    "parent",
    "title",
    "description",
    "group",
    "priority_areas",
    "focus_areas",
    "coordinating_agencies",
    "lead_agencies",
    "supporting_agencies",
    "success_measures",
    "resourcing",
    "timeframe",
)
# Columns a file may leave out (it reads as empty): files from before the column existed.
OPTIONAL_COLUMNS = ("coordinating_agencies",)

# The agency columns and the role each gives: agencies that coordinate jointly, a lead the
# secretariat designated, supporting agencies.
ROLE_COLUMNS = (
    ("coordinating_agencies", ActionAgency.Role.COORDINATING),
    ("lead_agencies", ActionAgency.Role.LEAD),
    ("supporting_agencies", ActionAgency.Role.SUPPORTING),
)
ROLE_COLUMN_ORDER = [role for _, role in ROLE_COLUMNS]

GROUP_SEPARATOR = " › "

_GROUP_SEPARATORS = re.compile(r"[›>]")
_NUMBERED_HEADING = re.compile(r"(?P<number>\d+(?:\.\d+)*[a-z]?)\.\s+(?P<title>\S.*)", re.I)
_SCOPED = re.compile(r"\[(?P<scope>[^\]]*)\]\s*(?P<value>.*)", re.S)


def split_names(cell: str) -> list[str]:
    """Names separated by ``;`` or line breaks."""
    return [name.strip() for name in re.split(r"[;\n]", cell) if name.strip()]


def split_statements(cell: str) -> list[str]:
    """Statements one per line; a cell without line breaks may separate them with ``;``."""
    separator = "\n" if "\n" in cell else ";"
    return [statement.strip() for statement in cell.split(separator) if statement.strip()]


def join_values(values: list[str]) -> str:
    """The cell for ``values``, which ``split_statements`` (and so ``split_names``) reads back."""
    cell = "\n".join(values)
    if len(values) == 1 and ";" in cell:
        cell += "\n"  # a line break marks the cell as one-per-line, so the ``;`` stays inside
    return cell


def split_scope(value: str) -> tuple[str, str]:
    """``"[Strand] text"`` → ``("Strand", "text")``; no brackets → ``("", value)``."""
    if match := _SCOPED.fullmatch(value):
        return match["scope"].strip(), match["value"].strip()
    return "", value


def with_scope(scope: str, value: str) -> str:
    return f"[{scope}] {value}" if scope else value


def split_group_path(cell: str) -> list[tuple[str, str]]:
    """``"Unify › 1. Establish …"`` → ``[("", "Unify"), ("1", "Establish …")]``. A blank
    segment comes back as ``("", "")`` for the caller to report."""
    if not cell.strip():
        return []
    headings = []
    for segment in _GROUP_SEPARATORS.split(cell):
        segment = " ".join(segment.split())
        match = _NUMBERED_HEADING.fullmatch(segment)
        headings.append((match["number"], match["title"]) if match else ("", segment))
    return headings


def group_path(group: ActionGroup | None, groups_by_pk: dict[int, ActionGroup]) -> str:
    """The ``group`` cell for ``group``, from its outermost ancestor in."""
    names = []
    while group is not None:
        names.append(str(group))
        group = groups_by_pk.get(group.parent_id)
    return GROUP_SEPARATOR.join(reversed(names))
