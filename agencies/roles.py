"""The cross-agency roles, kept as Django groups so the secretariat can manage them in the admin."""

from django.contrib.auth.models import Group

SECRETARIAT = "Secretariat"
VIEWER = "Steering group viewer"
ROLE_GROUPS = (SECRETARIAT, VIEWER)


def ensure_role_groups() -> None:
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)


def _group_names(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_tsoc_group_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._tsoc_group_names = cached
    return cached


def is_secretariat(user) -> bool:
    return user.is_authenticated and (user.is_superuser or SECRETARIAT in _group_names(user))


def is_viewer(user) -> bool:
    return VIEWER in _group_names(user)


def sees_everything(user) -> bool:
    """Secretariat and steering-group viewers read every agency's data."""
    return is_secretariat(user) or is_viewer(user)
