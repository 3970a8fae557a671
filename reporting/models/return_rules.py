"""What a sound return is: the limits on its text, the status–per cent rule, and what a return
needs before it can be submitted. ``StatusUpdate.clean`` and ``clean_for_submit`` apply them, so
the pages and the API give the same field errors.

The status–per cent rule (README, "The quarterly return"):

- "Complete" needs 100 per cent;
- 100 per cent needs "Complete";
- "Not started" needs 0 per cent.

Any other status takes any per cent from 0 to 99. A draft may leave per cent empty; a submitted
return may not.
"""

from django.conf import settings

# The text fields with a maximum, and the setting that holds it.
TEXT_LIMIT_SETTINGS = {
    "commentary": "RETURN_COMMENTARY_MAX_CHARS",
    "risks": "RETURN_RISKS_MAX_CHARS",
    "next_steps": "RETURN_NEXT_STEPS_MAX_CHARS",
    "review_comment": "REVIEW_COMMENT_MAX_CHARS",
}

TEXT_LABELS = {
    "commentary": "Progress commentary",
    "risks": "Risks and issues",
    "next_steps": "Next steps",
    "review_comment": "The comment",
}

COMPLETE, NOT_STARTED = "complete", "not_started"


def text_limit(field: str) -> int:
    return getattr(settings, TEXT_LIMIT_SETTINGS[field])


def text_too_long(field: str, text: str) -> str | None:
    """The message for ``text`` that is longer than ``field`` takes, with both counts."""
    limit, length = text_limit(field), len(text or "")
    if length <= limit:
        return None
    over = length - limit
    return (
        f"{TEXT_LABELS[field]} is {length:,} characters long; it can be at most {limit:,}. "
        f"Shorten it by {over:,} character{'' if over == 1 else 's'}."
    )


def status_percent_errors(status: str, percent: int | None) -> dict[str, str]:
    """The status–per cent rule's messages, on the field to change (empty if they agree)."""
    if percent is None or not status:
        return {}
    if status == COMPLETE and percent != 100:
        return {
            "percent_complete": f"A complete action is 100 per cent done, not {percent}. "
            "Enter 100, or choose the status that fits."
        }
    if status != COMPLETE and percent == 100:
        return {
            "status": "The action is 100 per cent done, so its status is “Complete”. "
            "Choose “Complete”, or enter the per cent that is done."
        }
    if status == NOT_STARTED and percent != 0:
        return {
            "percent_complete": f"An action that has not started is 0 per cent done, not "
            f"{percent}. Enter 0, or choose the status that fits."
        }
    return {}


def missing_for_submit(status: str, percent: int | None, commentary: str) -> dict[str, str]:
    """What a return lacks before it can be submitted (a draft may lack any of it)."""
    missing = {}
    if not status:
        missing["status"] = "Choose the action's status this quarter before submitting."
    if percent is None:
        missing["percent_complete"] = (
            "Enter per cent complete as a whole number from 0 to 100 before submitting."
        )
    if not (commentary or "").strip():
        missing["commentary"] = (
            "Write the progress commentary before submitting: what was done this quarter "
            "and what it achieved."
        )
    return missing
