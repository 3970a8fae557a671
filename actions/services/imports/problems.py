"""The problems that refuse a plan file, where a spreadsheet user would look for them."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with a file, where a spreadsheet user would look for it."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        if self.row is not None and self.column:
            where = _("Row %(row)s, column %(column)s") % {"row": self.row, "column": self.column}
        elif self.row is not None:
            where = _("Row %(row)s") % {"row": self.row}
        elif self.column:
            where = _("column %(column)s") % {"column": self.column}
        else:
            where = ""
        return f"{where}: {self.message}" if where else self.message


class PlanImportError(Exception):
    """The file can't be imported; ``problems`` lists everything wrong with it. Nothing was
    written."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


class PreviewOutdated(PlanImportError):
    """Importing the file now would change something other than its preview showed (the plan,
    or the agencies and areas it names, changed in between). Nothing was written."""

    MESSAGE = gettext_noop(
        "the plan has changed since this preview was made, so the file would now change "
        "something else; nothing was changed: look at the new preview before confirming"
    )

    def __init__(self):
        super().__init__([ImportProblem(_(self.MESSAGE))])
