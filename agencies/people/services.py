"""The secretariat's work on people and agencies: inviting, memberships, groups, deactivating,
and keeping agencies' names, aliases and inbox.

Each service checks its rule itself (``people_manageable_by``, ``Agency.objects.manageable_by``)
and records who did it: memberships and agencies in their simple-history, accounts as a
``PersonEvent``. Refusals are ``PermissionDenied``; bad input is a ``ValidationError`` naming the
field, and changes nothing.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.rules import allows

from ..models import Agency, AgencyAlias, Membership, PersonEvent
from ..querysets import normalise_agency_name, people_manageable_by
from ..roles import SECRETARIAT, VIEWER, ensure_role_groups
from .emails import send_invitation

User = get_user_model()
REFUSAL = "Only the secretariat manages people and agencies."


class Place(models.TextChoices):
    """Where an invited person starts: in an agency with a role, or in a cross-agency group."""

    LEAD = Membership.Role.LEAD, gettext_lazy("Agency lead")
    CONTRIBUTOR = Membership.Role.CONTRIBUTOR, gettext_lazy("Agency contributor")
    SECRETARIAT = "secretariat", gettext_lazy("Secretariat")
    VIEWER = "viewer", gettext_lazy("Steering group viewer")


GROUP_OF_PLACE = {Place.SECRETARIAT: SECRETARIAT, Place.VIEWER: VIEWER}


class AccountExists(ValidationError):
    """The email address already has an account: change that person instead."""

    def __init__(self, person):
        self.person = person
        super().__init__(
            {
                "email": _(
                    "%(email)s already has an account (%(name)s). Change their agencies "
                    "and groups on their page instead of inviting them again."
                )
                % {
                    "email": person.email or person.username,
                    "name": person.get_full_name() or person.username,
                }
            }
        )


def _require_manager(person, by) -> None:
    if not people_manageable_by(by).filter(pk=person.pk).exists():
        raise PermissionDenied(REFUSAL)


def _record(person, kind: str, by, detail: str = "") -> None:
    PersonEvent.objects.create(person=person, kind=kind, by=by, detail=detail[:300])


def existing_account(email: str):
    """The account with this email address (or username), if there is one."""
    email = email.strip()
    return User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).first()


@transaction.atomic
def invite(
    *, email: str, first_name: str, last_name: str, place: str, agency: Agency | None, by
) -> "User":
    """Create an account for ``email`` in ``place`` (an agency with a role, or a group) and email
    its one-time link to set a password. The account can't sign in until the password is set."""
    if not allows(people_manageable_by(by)):
        raise PermissionDenied(REFUSAL)
    email = User.objects.normalize_email(email.strip()).lower()
    if (person := existing_account(email)) is not None:
        raise AccountExists(person)
    if place in (Place.LEAD, Place.CONTRIBUTOR) and agency is None:
        raise ValidationError(
            {"agency": _("Choose the agency an agency lead or contributor is in.")}
        )
    if place not in Place.values:
        raise ValidationError({"place": _("Choose where they start.")})
    person = User(username=email, email=email, first_name=first_name, last_name=last_name)
    person.set_unusable_password()
    person.full_clean(exclude=["password"])
    person.save()
    detail = _join_place(person, place, agency, by)
    _record(person, PersonEvent.Kind.INVITED, by, detail)
    transaction.on_commit(lambda: send_invitation(person, invited_by=by))
    return person


def _join_place(person, place: str, agency: Agency | None, by) -> str:
    if place in GROUP_OF_PLACE:
        _set_groups(person, {GROUP_OF_PLACE[place]})
        return f"as {Place(place).label}"
    membership = Membership(user=person, agency=agency, role=place)
    membership._history_user = by
    membership.save()
    return f"as {Place(place).label}, {agency}"


@transaction.atomic
def send_invitation_again(person, by) -> None:
    """A new link for someone who hasn't set their password yet (the old one keeps working
    until it expires, as both are for the same unset password)."""
    _require_manager(person, by)
    if person.has_usable_password() or not person.is_active:
        raise ValidationError(
            _(
                "They have set their password already: they sign in, or reset it from the "
                "sign-in page."
            )
            if person.has_usable_password()
            else _("Their account is deactivated: reactivate it first.")
        )
    _record(person, PersonEvent.Kind.INVITATION_SENT_AGAIN, by)
    transaction.on_commit(lambda: send_invitation(person, invited_by=by))


@transaction.atomic
def set_password_from_invitation(person, password: str) -> None:
    """The invited person's own password, set through the link (which then stops working)."""
    person.set_password(password)
    person.save(update_fields=["password"])
    _record(person, PersonEvent.Kind.PASSWORD_SET, person)


@transaction.atomic
def add_membership(person, agency: Agency, role: str, by) -> Membership:
    _require_manager(person, by)
    if person.memberships.filter(agency=agency).exists():
        raise ValidationError(
            {
                "agency": _("They are in %(agency)s already: change their role there instead.")
                % {"agency": agency}
            }
        )
    membership = Membership(user=person, agency=agency, role=role)
    membership.full_clean()
    membership._history_user = by
    membership.save()
    return membership


@transaction.atomic
def change_role(membership: Membership, role: str, by) -> None:
    _require_manager(membership.user, by)
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose agency lead or contributor.")})
    membership.role = role
    membership._history_user = by
    membership.save(update_fields=["role"])


@transaction.atomic
def remove_membership(membership: Membership, by) -> None:
    """They stop reporting for the agency; the returns they wrote stay, with their name."""
    _require_manager(membership.user, by)
    membership._history_user = by
    membership.delete()


@transaction.atomic
def change_groups(person, groups: set[str], by) -> None:
    """Put ``person`` in exactly these of the cross-agency groups (Secretariat, viewers)."""
    _require_manager(person, by)
    if person.pk == by.pk and SECRETARIAT not in groups:
        raise ValidationError(_("You can't take yourself out of the secretariat: ask a colleague."))
    before = _group_names(person)
    _set_groups(person, groups)
    after = _group_names(person)
    if before != after:
        _record(
            person,
            PersonEvent.Kind.GROUPS_CHANGED,
            by,
            f"{', '.join(sorted(before)) or 'no group'} → {', '.join(sorted(after)) or 'no group'}",
        )


def _group_names(person) -> set[str]:
    return set(
        person.groups.filter(name__in=GROUP_OF_PLACE.values()).values_list("name", flat=True)
    )


def _set_groups(person, groups: set[str]) -> None:
    """Join and leave the role groups; staff status (for the admin) follows the Secretariat's."""
    ensure_role_groups()
    unknown = groups - set(GROUP_OF_PLACE.values())
    if unknown:
        raise ValidationError(
            _("There is no group called %(groups)s.") % {"groups": ", ".join(sorted(unknown))}
        )
    role_groups = Group.objects.filter(name__in=GROUP_OF_PLACE.values())
    person.groups.remove(*role_groups.exclude(name__in=groups))
    person.groups.add(*role_groups.filter(name__in=groups))
    person._tsoc_group_names = None
    is_staff = person.is_superuser or SECRETARIAT in groups
    if person.is_staff != is_staff:
        person.is_staff = is_staff
        person.save(update_fields=["is_staff"])


@transaction.atomic
def deactivate(person, by) -> dict[str, int]:
    """They can no longer sign in: their sessions end and their API tokens are revoked. Their
    memberships, returns and history stay. Returns how many sessions and tokens were ended."""
    _require_manager(person, by)
    if person.pk == by.pk:
        raise ValidationError(_("You can't deactivate your own account: ask a colleague."))
    if not person.is_active:
        raise ValidationError(_("Their account is deactivated already."))
    person.is_active = False
    person.save(update_fields=["is_active"])
    sessions = end_sessions(person)
    tokens = person.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    _record(
        person,
        PersonEvent.Kind.DEACTIVATED,
        by,
        f"{sessions} session{'s' * (sessions != 1)} ended, "
        f"{tokens} API token{'s' * (tokens != 1)} revoked",
    )
    return {"sessions": sessions, "tokens": tokens}


def end_sessions(person) -> int:
    """Delete every stored session signed in as ``person``; returns how many."""
    signed_in = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(person.pk)
    ]
    Session.objects.filter(pk__in=signed_in).delete()
    return len(signed_in)


@transaction.atomic
def reactivate(person, by) -> None:
    """They can sign in again. API tokens revoked at deactivation stay revoked."""
    _require_manager(person, by)
    if person.is_active:
        raise ValidationError(_("Their account is active already."))
    person.is_active = True
    person.save(update_fields=["is_active"])
    _record(person, PersonEvent.Kind.REACTIVATED, by)


# Agencies -----------------------------------------------------------------------------------


@transaction.atomic
def save_agency(
    agency: Agency | None,
    *,
    name: str,
    short_name: str,
    email: str,
    aliases: list[str],
    by,
    maori_name: str | None = None,
) -> Agency:
    """Add an agency (``agency`` None) or change one: its names (its Māori name kept as it is
    when ``maori_name`` is None), reporting inbox and aliases (exactly ``aliases`` afterwards).
    A name or alias that already names another agency is refused, naming that agency."""
    if not allows(Agency.objects.manageable_by(by)):
        raise PermissionDenied(REFUSAL)
    aliases = list(dict.fromkeys(a.strip() for a in aliases if a.strip()))
    _check_names_free(agency, name=name, short_name=short_name, aliases=aliases)
    if agency is None:
        agency = Agency(slug=_free_slug(short_name or name))
    agency.name, agency.short_name, agency.email = name.strip(), short_name.strip(), email.strip()
    if maori_name is not None:
        agency.maori_name = maori_name.strip()
    agency.full_clean()
    agency._history_user = by
    agency.save()
    wanted = {normalise_agency_name(a): a for a in aliases}
    for alias in agency.aliases.all():
        if normalise_agency_name(alias.name) not in wanted:
            alias._history_user = by
            alias.delete()
    kept = {normalise_agency_name(a.name) for a in agency.aliases.all()}
    for key, alias_name in wanted.items():
        if key not in kept:
            alias = AgencyAlias(agency=agency, name=alias_name)
            alias._history_user = by
            try:
                with transaction.atomic():
                    alias.save()
            except IntegrityError as error:  # another agency took it meanwhile
                raise ValidationError(
                    {
                        "aliases": _("“%(alias)s” already names another agency.")
                        % {"alias": alias_name}
                    }
                ) from error
    return agency


def _check_names_free(agency, *, name: str, short_name: str, aliases: list[str]) -> None:
    others = Agency.objects.exclude(pk=agency.pk) if agency else Agency.objects.all()
    index = others.name_index()
    errors: dict[str, list[str]] = {}
    for field, names in (("name", [name]), ("short_name", [short_name]), ("aliases", aliases)):
        for candidate in names:
            if (owner := index.get(normalise_agency_name(candidate))) is not None:
                errors.setdefault(field, []).append(
                    _(
                        "“%(name)s” already names %(agency)s: an agency's names and "
                        "aliases must each name only one agency."
                    )
                    % {"name": candidate.strip(), "agency": owner.name}
                )
    if errors:
        raise ValidationError(errors)


def _free_slug(text: str) -> str:
    base = slugify(text)[:70] or "agency"
    slug, n = base, 2
    while Agency.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
