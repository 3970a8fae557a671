"""Lookups for agencies and memberships."""

from django.db import models


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

    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user).distinct()


class MembershipQuerySet(models.QuerySet):
    def leads(self):
        return self.filter(role="lead")
