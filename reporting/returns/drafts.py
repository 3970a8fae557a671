"""Text typed into a return form and not yet saved (``ReturnDraft``): kept while typing, kept
when Save is pressed after the session has expired, and saved once the person signs in again.

- ``form_key(user, action, period, agency)``: a signed key the form carries, naming who the form
  was shown to and which return it is. A Save that arrives after the session expired is kept
  under that person by it, and only for them: nobody else signing in on that browser gets it.
- ``keep(action, period, agency, *, data, by, expected_version, expected_revision)``: keep what
  ``by`` has typed, version-checked twice: ``StaleUpdateError`` when the return has been saved by
  anyone since the form showed ``expected_version`` (nothing is kept over it: the person is shown
  the conflict), ``StaleDraftError`` when another window has kept newer text since.
- ``keep_signed_out(key, data, intent)``: keep a signed-out Save or autosave under the key's
  person, to be saved (``intent`` save or submit) or restored after they sign in.
- ``forget(user, action, period, agency)``: the text was saved (or thrown away).
"""

import re

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from actions.models import Action, ActionAgency
from agencies.models import Agency
from reporting.models import ReportingPeriod, ReturnDraft, StatusUpdate
from reporting.models.updates import StaleUpdateError

FORM_KEY_SALT = "reporting.returns.form-key"
FORM_KEY_MAX_AGE = 30 * 24 * 60 * 60  # a form left open over a long weekend still keeps its text
MAX_FIELD_CHARS = 50_000  # well over any limit on the return; enough to keep anything pasted


class StaleDraftError(Exception):
    """Another window kept newer text for this form; ``current`` is what is kept now."""

    def __init__(self, current: ReturnDraft):
        super().__init__(f"{current} was kept from another window (revision {current.revision}).")
        self.current = current


def form_key(user, action: Action, period: ReportingPeriod, agency: Agency) -> str:
    return signing.dumps(
        {"user": user.pk, "action": action.pk, "period": period.pk, "agency": agency.pk},
        salt=FORM_KEY_SALT,
    )


# The return form's fields (``returns.forms.UpdateForm``): all that is kept of a request.
FORM_FIELD = re.compile(
    r"(status|percent_complete|commentary|risks|next_steps|version|reading_\d+_(value|note|remove))"
)


def form_data(data) -> dict[str, str]:
    """The return form's own fields from ``data`` (a QueryDict), as typed, each cut to a sane
    length."""
    return {
        name: data.get(name, "")[:MAX_FIELD_CHARS] for name in data if FORM_FIELD.fullmatch(name)
    }


@transaction.atomic
def keep(
    action: Action,
    period: ReportingPeriod,
    agency: Agency,
    *,
    data: dict,
    by,
    expected_version: int | None,
    expected_revision: int | None,
) -> ReturnDraft:
    if not ActionAgency.objects.reportable_by(by).filter(action=action, agency=agency).exists():
        raise PermissionDenied(_("You can only write your own agency's updates."))
    # Locked, so a keep racing a save waits for it, then finds the new version and keeps nothing.
    update = (
        StatusUpdate.objects.select_for_update()
        .filter(action=action, period=period, agency=agency)
        .first()
    )
    if update is not None:
        update.require_editable()
    if update is not None and update.version != expected_version:
        raise StaleUpdateError(update)
    draft, created = (
        ReturnDraft.objects.select_for_update()
        .owned_by(by)
        .get_or_create(user=by, action=action, period=period, agency=agency)
    )
    if not created and draft.revision != expected_revision:
        raise StaleDraftError(draft)
    draft.data, draft.base_version = data, expected_version
    draft.intent = ReturnDraft.Intent.KEPT
    draft.revision = 1 if created else draft.revision + 1
    draft.save()
    return draft


@transaction.atomic
def keep_signed_out(key: str, data: dict, intent: str) -> ReturnDraft | None:
    """Keep a signed-out person's text under the person the form was shown to (None when the key
    is forged or too old). Checked again, as them, when it is saved after they sign in."""
    try:
        names = signing.loads(key, salt=FORM_KEY_SALT, max_age=FORM_KEY_MAX_AGE)
    except signing.BadSignature:
        return None
    draft, _ = ReturnDraft.objects.update_or_create(
        user_id=names["user"],
        action_id=names["action"],
        period_id=names["period"],
        agency_id=names["agency"],
        defaults={"data": data, "intent": intent, "base_version": _version(data)},
    )
    return draft


def kept(user, action: Action, period: ReportingPeriod, agency: Agency) -> ReturnDraft | None:
    return ReturnDraft.objects.owned_by(user).for_form(action, period, agency).first()


def forget(user, action: Action, period: ReportingPeriod, agency: Agency) -> None:
    ReturnDraft.objects.owned_by(user).for_form(action, period, agency).delete()


def _version(data: dict) -> int | None:
    raw = data.get("version", "")
    return int(raw) if raw.isascii() and raw.isdigit() else None
