"""“Check your answers” before a return is submitted: each part of the return beside what the
agency said last quarter, with the words that changed marked (the GOV.UK pattern). The review
page shows the same comparison side by side, flagging text carried forward unchanged."""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from reporting.models import StatusUpdate, return_rules


@dataclass
class Answer:
    """One part of the return: its label, what will be submitted, what changed, and the form
    field a "Change" link goes to; ``before`` is last quarter's (None without one), and
    ``carried_forward`` says a text was kept word for word from it."""

    label: str
    field: str
    shown: str
    difference: SafeString | None
    changed: bool
    before: str | None = None
    carried_forward: bool = False
    # For the review page's two columns: last quarter's text with what was taken out marked,
    # and this quarter's with what was added (``side_by_side``); plain values otherwise.
    before_marked: SafeString | None = None
    after_marked: SafeString | None = None


def word_difference(before: str, after: str) -> SafeString:
    """``after`` as HTML, with the words added since ``before`` in ``<ins>`` and the words taken
    out in ``<del>``; all text escaped."""
    old, new = _words(before), _words(after)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op in ("delete", "replace") and "".join(old[i1:i2]).strip():
            parts.append(f'<del class="diff">{escape("".join(old[i1:i2]))}</del>')
        if op in ("insert", "replace"):
            parts.append(f'<ins class="diff">{escape("".join(new[j1:j2]))}</ins>')
        if op == "equal":
            parts.append(escape("".join(new[j1:j2])))
    return mark_safe("".join(parts).replace("\n", "<br>"))


def side_by_side(before: str, after: str) -> tuple[SafeString, SafeString]:
    """``before`` with the words taken out in ``<del>``, and ``after`` with the words added in
    ``<ins>``: the same difference as ``word_difference``, for two columns; all text escaped."""
    old, new = _words(before), _words(after)
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        was, now = escape("".join(old[i1:i2])), escape("".join(new[j1:j2]))
        if op == "equal":
            left.append(was)
            right.append(now)
            continue
        if was.strip():
            left.append(f'<del class="diff">{was}</del>')
        if now.strip():
            right.append(f'<ins class="diff">{now}</ins>')
    return tuple(mark_safe(_joined("".join(side)).replace("\n", "<br>")) for side in (left, right))


def _joined(html: str) -> str:
    """Changed words with only spaces between them marked as one run, not word by word."""
    return re.sub(r"</(del|ins)>(\s+)<\1 class=\"diff\">", r"\2", html)


def _words(text: str) -> list[str]:
    return re.findall(r"\S+|\s+", text or "")


def answers(update: StatusUpdate, previous: StatusUpdate | None) -> list[Answer]:
    """The parts of ``update`` to check, each compared with ``previous`` (last quarter's)."""
    rows = [
        _answer(
            _("Status this quarter"),
            "status",
            update.get_status_display(),
            previous.get_status_display() if previous else None,
        ),
        _answer(
            _("Per cent complete"),
            "percent_complete",
            _percent(update.percent_complete),
            _percent(previous.percent_complete) if previous else None,
        ),
    ]
    for field in ("commentary", "risks", "next_steps"):
        rows.append(
            _answer(
                return_rules.TEXT_LABELS[field],
                field,
                getattr(update, field),
                getattr(previous, field) if previous else None,
                words=True,
            )
        )
    return rows


def _percent(value: int | None) -> str:
    return "" if value is None else f"{value}%"


def _answer(label: str, field: str, now: str, before: str | None, *, words=False) -> Answer:
    if before is None:
        return Answer(label, field, now, None, changed=True)
    changed = (before or "").strip() != (now or "").strip()
    if not changed:
        carried = words and bool((now or "").strip())
        return Answer(label, field, now, None, False, before, carried_forward=carried)
    if words:
        was, is_now = side_by_side(before, now)
        return Answer(
            label, field, now, word_difference(before, now), True, before, False, was, is_now
        )
    was = escape(before) if before else _("nothing")
    return Answer(label, field, now, mark_safe(_("Was %(before)s") % {"before": was}), True, before)
