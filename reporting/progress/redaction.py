"""Text withheld from proactive release, kept out of the snapshot of a public report: each
withheld field is replaced by its placeholder before the snapshot is assembled, so the public
variant never holds the text."""

from reporting.models import Withholding
from reporting.models.reports import withheld_placeholder


def withheld_text(withholdings: list[dict]) -> dict[tuple[str, int, str], dict]:
    """(``"action"``/``"update"``, id, field) → the withholding covering that text."""
    index = {}
    for item in withholdings:
        fields = (
            ("commentary", "risks", "next_steps")
            if item["field"] == Withholding.Field.UPDATE
            else (item["field"],)
        )
        kind, pk = (
            ("action", item["action_id"]) if item["action_id"] else ("update", item["update_id"])
        )
        for field in fields:
            index[(kind, pk, field)] = item
    return index


class TextGuard:
    """Hands out an action's or update's text, withheld or not, and remembers the markings of
    withheld text it handed out in full."""

    def __init__(self, withholdings: list[dict], *, public: bool):
        self.index = withheld_text(withholdings)
        self.public = public
        self.markings_shown: set[str] = set()
        self.withheld_count = 0

    def text(self, kind: str, pk: int, field: str, value: str) -> tuple[str, str]:
        """(text to print, ground it is withheld under or "")."""
        item = self.index.get((kind, pk, field))
        if item is None or not value:
            return value, ""
        self.withheld_count += 1
        if self.public:
            return withheld_placeholder(item["ground"]), item["ground"]
        self.markings_shown.add(item["marking"])
        return value, item["ground"]
