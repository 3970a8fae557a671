"""The people pages' link in the header, for those the people rule lets in."""

from django.utils.functional import SimpleLazyObject

from core.rules import allows

from ..querysets import people_manageable_by


def people(request) -> dict:
    user = getattr(request, "user", None)  # absent on error pages raised before authentication
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_people": SimpleLazyObject(lambda: allows(people_manageable_by(user)))}
