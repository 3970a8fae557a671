"""Who a person is to the product: the cross-agency roles, kept as Django groups so the
secretariat can manage them, and whether someone has any role at all.

These are facts about a person, read once per request. What a role may see or change is not
decided here but in each model's queryset methods (``visible_to``, ``editable_by``, …), which
start from these facts.
"""

from django.contrib.auth.models import Group

SECRETARIAT = "Secretariat"
VIEWER = "Steering group viewer"
ROLE_GROUPS = (SECRETARIAT, VIEWER)


def ensure_role_groups() -> None:
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)


def is_active(user) -> bool:
    """Signed in with an account that hasn't been deactivated."""
    return user.is_authenticated and user.is_active


def _group_names(user) -> set[str]:
    if not is_active(user):
        return set()
    cached = getattr(user, "_tsoc_group_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._tsoc_group_names = cached
    return cached


def is_secretariat(user) -> bool:
    """The secretariat runs the programme (superusers count as secretariat)."""
    return is_active(user) and (user.is_superuser or SECRETARIAT in _group_names(user))


def is_viewer(user) -> bool:
    """A steering-group viewer reads every agency's data and changes nothing."""
    return VIEWER in _group_names(user)


def sees_every_agency(user) -> bool:
    """Secretariat and steering-group viewers read every agency's data."""
    return is_secretariat(user) or is_viewer(user)


def is_agency_member(user) -> bool:
    return is_active(user) and user.memberships.exists()


def has_role(user) -> bool:
    """Signed-in people with a role: secretariat, viewers, and members of an agency."""
    return sees_every_agency(user) or is_agency_member(user)
