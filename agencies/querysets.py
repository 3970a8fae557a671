"""Lookups for agencies and memberships, and who may see them."""

from django.contrib.auth import get_user_model
from django.db import models

from .roles import has_role, is_active, is_secretariat


def normalise_agency_name(name: str) -> str:
    """The form agency names are compared in: case-folded, single-spaced, no leading “the”."""
    words = name.replace("\u00a0", " ").split()
    if words and words[0].lower() == "the":
        words = words[1:]
    return " ".join(words).casefold()


class AgencyQuerySet(models.QuerySet):
    def name_index(self) -> dict[str, "models.Model"]:
        """Every name, short name and alias (normalised) mapped to its agency."""
        index = {}
        for agency in self.prefetch_related("aliases"):
            names = [agency.name, agency.short_name, agency.slug]
            names += [alias.name for alias in agency.aliases.all()]
            for name in names:
                index[normalise_agency_name(name)] = agency
        return index

    def resolve(self, name: str):
        """The agency a name or alias refers to, or None."""
        return self.name_index().get(normalise_agency_name(name))

    def visible_to(self, user):
        """Agencies are reference data: everyone with a role reads them."""
        return self if has_role(user) else self.none()

    def manageable_by(self, user):
        """Adding agencies and changing their names, aliases and inbox: the secretariat."""
        return self if is_secretariat(user) else self.none()

    def of_member(self, user, *, role: str | None = None):
        """The agencies ``user`` reports for (only those where they are ``role``, if given)."""
        if not is_active(user):
            return self.none()
        filters = {"memberships__user": user}
        if role:
            filters["memberships__role"] = role
        return self.filter(**filters).distinct()


class MembershipQuerySet(models.QuerySet):
    def leads(self):
        return self.filter(role="lead")


def people_manageable_by(user) -> models.QuerySet:
    """Whose account ``user`` may manage on the people pages (invite, change memberships and
    groups, deactivate, reactivate): the secretariat manages everyone's but a superuser's (only
    a superuser manages another); anyone else, nobody's."""
    people = get_user_model().objects.all()
    if not is_secretariat(user):
        return people.none()
    return people if user.is_superuser else people.exclude(is_superuser=True)
