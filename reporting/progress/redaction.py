"""What is withheld from proactive release, decided in one place: every string a snapshot takes
from an action, a line, an update or a dependency passes through a ``Redaction``, which hands out
the text of the full variant (remembering the markings it printed) or, for the public variant,
"[withheld under s …]" in its place, so a public snapshot never holds the text.

An action's part is withheld by its own withholding (title, description, resourcing, agencies,
success measures) or by a withholding of the whole action, on it or on an action it is part of:
a whole action withheld takes its sub-actions and strands with it. An update's text is withheld
by its own withholding (one field, or the whole update) or with its whole action. Figures
(statuses, counts, per cents) are never withheld: a withheld action still counts, under its
number.
"""

from collections.abc import Iterable

from django.db.models import Q

from actions.models import Action
from reporting.models import Withholding
from reporting.models.reports import withheld_placeholder

F = Withholding.Field
UPDATE_TEXT = ("commentary", "risks", "next_steps")
# An action's text as the snapshot holds it, and the withholding (besides the whole action's)
# that covers each: an indicator's name and statement are its success measure's.
ACTION_TEXT = {
    "title": F.TITLE,
    "description": F.DESCRIPTION,
    "resourcing": F.RESOURCING,
    "timeframe": None,
    "agencies": F.AGENCIES,
    "measures": F.MEASURES,
}


def withheld_text(withholdings: list[dict]) -> dict[tuple[str, int, str], dict]:
    """(``"action"``/``"update"``, id, field) → the withholding covering that text of the row
    itself (not through the action it is part of): what search notes beside a result."""
    index = {}
    for item in withholdings:
        if item["field"] == F.UPDATE:
            fields = UPDATE_TEXT
        elif item["field"] == F.ACTION:
            fields = ("title", "description", "resourcing")
        else:
            fields = (item["field"],)
        kind, pk = (
            ("action", item["action_id"]) if item["action_id"] else ("update", item["update_id"])
        )
        for field in fields:
            index[(kind, pk, field)] = item
    return index


class Redaction:
    """Hands out an action's, line's or update's text, withheld or not; remembers the markings
    of withheld text it handed out in full and how many withheld texts it met."""

    def __init__(self, withholdings: list[dict], *, public: bool, parents: dict[int, int | None]):
        self.public = public
        self.parents = parents
        self.by_action = {
            (w["action_id"], w["field"]): w for w in withholdings if w["action_id"] is not None
        }
        self.by_update = {
            (w["update_id"], field): w
            for w in withholdings
            if w["update_id"] is not None and w["field"] in (F.UPDATE, *UPDATE_TEXT)
            for field in (UPDATE_TEXT if w["field"] == F.UPDATE else (w["field"],))
        }
        self.markings_shown: set[str] = set()
        self.withheld_count = 0

    @classmethod
    def of_actions(
        cls, actions, parents: dict[int, int | None], *, public: bool, period=None
    ) -> "Redaction":
        """The withholdings on ``actions`` (ids, or a query of them; ``parents``: each one's
        id → the id of the action it is part of), on the actions they are part of, and (with
        ``period``) on their updates for it."""
        parents, ancestors = dict(parents), set()
        wanted = {p for p in parents.values() if p is not None and p not in parents}
        while wanted:
            rows = dict(Action.objects.filter(pk__in=wanted).values_list("pk", "parent_id"))
            parents.update(rows)
            ancestors |= set(rows)
            wanted = {p for p in rows.values() if p is not None and p not in parents}
        withholdings = Withholding.objects.filter(
            Q(action__in=actions) | Q(action__in=ancestors, field=F.ACTION)
        )
        if period is not None:
            withholdings = withholdings | Withholding.objects.filter(
                update__action__in=actions, update__period=period
            )
        rows = withholdings.values("action_id", "update_id", "field", "ground", "marking")
        return cls(list(rows), public=public, parents=parents)

    @classmethod
    def of_action_ids(cls, action_ids: Iterable[int], *, public: bool) -> "Redaction":
        """The withholdings on these actions and the actions they are part of."""
        parents = dict(Action.objects.filter(pk__in=set(action_ids)).values_list("pk", "parent_id"))
        return cls.of_actions(list(parents), parents, public=public)

    def covering(self, action_id: int, part: str) -> dict | None:
        """The withholding that covers this part of the action (``ACTION_TEXT``'s keys)."""
        own = ACTION_TEXT[part]
        return (self.by_action.get((action_id, own)) if own else None) or self.whole(action_id)

    def whole(self, action_id: int) -> dict | None:
        """The withholding of the whole action, or of an action it is part of."""
        pk: int | None = action_id
        while pk is not None:
            if item := self.by_action.get((pk, F.ACTION)):
                return item
            pk = self.parents.get(pk)
        return None

    def action_text(self, action_id: int, part: str, value: str) -> tuple[str, str]:
        """(text to print, the ground it is withheld under or "")."""
        return self._hand_out(self.covering(action_id, part), value)

    def update_text(self, update_id: int, action_id: int, field: str, value: str):
        """An update's commentary, risks or next steps: (text to print, ground or "")."""
        item = self.by_update.get((update_id, field)) or self.whole(action_id)
        return self._hand_out(item, value)

    def agency_names(self, action_id: int, names: list[str]) -> tuple[list[str], str]:
        """The agencies named on an action's line (or its returns, or its outstanding
        returns): (names to print, ground or "")."""
        item = self.covering(action_id, "agencies")
        if item is None or not names:
            return names, ""
        placeholder, ground = self._hand_out(item, ", ".join(names))
        return ([placeholder] if self.public else names), ground

    def agency_name(self, action_id: int, name: str) -> str:
        names, _ = self.agency_names(action_id, [name])
        return names[0]

    def _hand_out(self, item: dict | None, value: str) -> tuple[str, str]:
        if item is None or not value:
            return value, ""
        self.withheld_count += 1
        if self.public:
            return withheld_placeholder(item["ground"]), item["ground"]
        self.markings_shown.add(item["marking"])
        return value, item["ground"]
