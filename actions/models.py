"""Strategies, their action plans, and the actions agencies coordinate.

Strategy › PriorityArea / FocusArea › ActionPlan › ActionGroup › Action (› sub-actions)
› ActionAgency (lead/supporting) › SuccessMeasure › IndicatorReading.
"""

import re

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from agencies.models import Agency

from .querysets import (
    ActionAgencyQuerySet,
    ActionPlanQuerySet,
    ActionQuerySet,
    IndicatorReadingQuerySet,
    ReferenceDataQuerySet,
)
from .timeframes import parse_timeframe


def natural_sort_key(number: str) -> str:
    """Sorts action numbers as people do: “2” < “10”, “13” < “13a” < “14”, “1.1” < “1.10”."""
    parts = re.split(r"(\d+)", number.strip().lower())
    return "".join(part.zfill(6) if part.isdigit() else part for part in parts)


class Strategy(models.Model):
    """A whole-of-government strategy, e.g. the TNOC Strategy 2020–2025."""

    slug = models.SlugField("slug", max_length=80, unique=True)
    title = models.CharField("title", max_length=300)
    short_title = models.CharField("short title", max_length=120)
    start_year = models.PositiveSmallIntegerField("first year")
    end_year = models.PositiveSmallIntegerField("last year", null=True, blank=True)
    vision = models.TextField("vision", blank=True)
    principles = models.JSONField("principles", default=list, blank=True)
    objectives = models.JSONField("objectives and goals", default=list, blank=True)
    success_statements = models.JSONField("what success looks like", default=list, blank=True)
    indicators = models.JSONField("progress indicators", default=list, blank=True)
    vulnerabilities = models.JSONField("vulnerabilities", default=list, blank=True)
    related_programmes = models.JSONField("related programmes", default=list, blank=True)
    source = models.CharField("source document", max_length=300, blank=True)

    objects = ReferenceDataQuerySet.as_manager()

    class Meta:
        verbose_name = "strategy"
        verbose_name_plural = "strategies"
        ordering = ["-start_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=F("start_year")),
                name="strategy_years_in_order",
                violation_error_message="The last year can't be before the first.",
            )
        ]

    def __str__(self) -> str:
        return self.short_title or self.title


class StrategyArea(models.Model):
    """Shared shape of a strategy's priority and focus areas."""

    strategy = models.ForeignKey(Strategy, verbose_name="strategy", on_delete=models.CASCADE)
    slug = models.SlugField("slug", max_length=80)
    name = models.CharField("name", max_length=120)
    description = models.TextField("description", blank=True)
    order = models.PositiveSmallIntegerField("order", default=0)

    objects = ReferenceDataQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["strategy", "order", "name"]

    def __str__(self) -> str:
        return self.name


class PriorityArea(StrategyArea):
    """What the strategy prioritises: Unify, Prevent, Detect, Dismantle."""

    class Meta(StrategyArea.Meta):
        verbose_name = "priority area"
        default_related_name = "priority_areas"
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "slug"],
                name="priority_area_unique_slug_per_strategy",
                violation_error_message="The strategy already has a priority area with this slug.",
            )
        ]


class FocusArea(StrategyArea):
    """Where the strategy acts: International, Border, National, Community."""

    class Meta(StrategyArea.Meta):
        verbose_name = "focus area"
        default_related_name = "focus_areas"
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "slug"],
                name="focus_area_unique_slug_per_strategy",
                violation_error_message="The strategy already has a focus area with this slug.",
            )
        ]


class ActionPlan(models.Model):
    """A dated plan of actions delivering a strategy."""

    strategy = models.ForeignKey(
        Strategy, verbose_name="strategy", on_delete=models.PROTECT, related_name="plans"
    )
    slug = models.SlugField("slug", max_length=80, unique=True)
    code = models.CharField(
        "code", max_length=20, help_text="Put before action numbers, e.g. “TSOC” in “TSOC 13a”."
    )
    title = models.CharField("title", max_length=300)
    short_title = models.CharField("short title", max_length=120)
    start_date = models.DateField("starts")
    end_date = models.DateField("ends")
    introduction = models.TextField("introduction", blank=True)
    source = models.CharField("source document", max_length=300, blank=True)

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = "action plan"
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="action_plan_dates_in_order",
                violation_error_message="A plan can't end before it starts.",
            )
        ]

    def __str__(self) -> str:
        return self.short_title or self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("actions:plan_detail", kwargs={"slug": self.slug})

    def action_url_prefix(self) -> str:
        """The address of this plan's actions up to the number, for pages that link many: an
        action's is the prefix, its number URL-encoded, and "/" (one reverse() per page)."""
        from django.urls import reverse

        url = reverse("actions:action_detail", kwargs={"plan": self.slug, "number": "0"})
        return url.removesuffix("0/")


class ActionGroup(models.Model):
    """A heading the plan groups actions under (nested where the source nests them)."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name="plan", on_delete=models.CASCADE, related_name="groups"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="parent group",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    number = models.CharField("number", max_length=20, blank=True)
    title = models.CharField("title", max_length=300)
    order = models.PositiveSmallIntegerField("order", default=0)
    priority_areas = models.ManyToManyField(
        PriorityArea, verbose_name="priority areas", blank=True, related_name="groups"
    )

    class Meta:
        verbose_name = "action group"
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


class Action(models.Model):
    """One action of a plan (or a lettered sub-action, with ``parent`` set)."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name="plan", on_delete=models.CASCADE, related_name="actions"
    )
    group = models.ForeignKey(
        ActionGroup,
        verbose_name="group",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="parent action",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sub_actions",
        help_text="Set for a sub-action such as 13a.",
    )
    number = models.CharField(
        "number", max_length=20, help_text="As the plan numbers it: 1.1, 13, 13a."
    )
    sort_key = models.CharField("sort key", max_length=80, editable=False, db_index=True)
    title = models.CharField("title", max_length=500)
    description = models.TextField("description", blank=True)
    resourcing = models.TextField("resourcing", blank=True)
    timeframe = models.CharField("timeframe", max_length=120, blank=True)
    starts_on = models.DateField("starts", null=True, blank=True, editable=False)
    ends_on = models.DateField("ends", null=True, blank=True, editable=False)
    is_ongoing = models.BooleanField("ongoing", default=False, editable=False)
    timeframe_unparsed = models.BooleanField(
        "timeframe not understood",
        default=False,
        editable=False,
        help_text="The timeframe text is kept as written but no dates could be read from it.",
    )
    priority_areas = models.ManyToManyField(
        PriorityArea, verbose_name="priority areas", blank=True, related_name="actions"
    )
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name="focus areas", blank=True, related_name="actions"
    )
    agencies = models.ManyToManyField(
        Agency,
        verbose_name="coordinating agencies",
        through="ActionAgency",
        related_name="actions",
    )
    history = HistoricalRecords()

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = "action"
        ordering = ["plan", "sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="action_unique_number_per_plan",
                violation_error_message="The plan already has an action with this number.",
            ),
            models.CheckConstraint(
                condition=~Q(number=""),
                name="action_number_not_blank",
                violation_error_message="An action needs a number.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} {self.number}: {self.title}"

    def save(self, *args, **kwargs):
        self.sort_key = natural_sort_key(self.number)
        parsed = parse_timeframe(
            self.timeframe, financial_year_start_month=settings.FINANCIAL_YEAR_START_MONTH
        )
        self.starts_on, self.ends_on = parsed.start, parsed.end
        self.is_ongoing, self.timeframe_unparsed = parsed.ongoing, not parsed.parsed
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse(
            "actions:action_detail", kwargs={"plan": self.plan.slug, "number": self.number}
        )


class ActionAgency(models.Model):
    """An agency coordinating an action, as lead or in support."""

    class Role(models.TextChoices):
        LEAD = "lead", "Lead"
        SUPPORTING = "supporting", "Supporting"

    action = models.ForeignKey(
        Action, verbose_name="action", on_delete=models.CASCADE, related_name="coordinators"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="agency", on_delete=models.PROTECT, related_name="coordinations"
    )
    role = models.CharField("role", max_length=20, choices=Role.choices, default=Role.LEAD)
    scope = models.CharField(
        "for",
        max_length=200,
        blank=True,
        help_text="The strand of the action this agency coordinates, where the plan names one.",
    )
    order = models.PositiveSmallIntegerField("order", default=0)
    history = HistoricalRecords()

    objects = ActionAgencyQuerySet.as_manager()

    class Meta:
        verbose_name = "coordinating agency"
        verbose_name_plural = "coordinating agencies"
        ordering = ["action", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "agency", "scope"],
                name="action_agency_unique",
                violation_error_message="This agency already coordinates this action.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} ({self.get_role_display().lower()})"


class ActionLink(models.Model):
    """Records that an action carries on, merges or replaces an action of an earlier plan."""

    class Kind(models.TextChoices):
        CARRIES_ON = "carries_on", "Carries on"
        MERGES = "merges", "Merges"
        REPLACES = "replaces", "Replaces"

    action = models.ForeignKey(
        Action, verbose_name="action", on_delete=models.CASCADE, related_name="links_to_earlier"
    )
    earlier_action = models.ForeignKey(
        Action,
        verbose_name="earlier action",
        on_delete=models.CASCADE,
        related_name="links_to_later",
    )
    kind = models.CharField("relationship", max_length=20, choices=Kind.choices)
    note = models.TextField("note", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "link to an earlier action"
        constraints = [
            models.UniqueConstraint(
                fields=["action", "earlier_action"],
                name="action_link_unique",
                violation_error_message="These actions are already linked.",
            ),
            models.CheckConstraint(
                condition=~Q(action=F("earlier_action")),
                name="action_link_not_to_itself",
                violation_error_message="An action can't carry on itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action.number} {self.get_kind_display().lower()} {self.earlier_action}"


class SuccessMeasure(models.Model):
    """A “what success looks like” statement, optionally with a numeric indicator."""

    action = models.ForeignKey(
        Action, verbose_name="action", on_delete=models.CASCADE, related_name="success_measures"
    )
    statement = models.TextField("what success looks like")
    scope = models.CharField("for", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("order", default=0)
    indicator = models.CharField(
        "indicator", max_length=200, blank=True, help_text="What is counted, if anything."
    )
    unit = models.CharField("unit", max_length=40, blank=True)
    baseline = models.DecimalField(
        "baseline", max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField("target", max_digits=14, decimal_places=2, null=True, blank=True)
    target_date = models.DateField("target date", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "success measure"
        ordering = ["action", "order"]

    def __str__(self) -> str:
        return self.indicator or self.statement[:80]

    @property
    def has_indicator(self) -> bool:
        return bool(self.indicator)


class IndicatorReading(models.Model):
    """A dated value of a success measure's indicator, as one agency recorded it.

    Each agency reporting on the action records its own reading in its quarterly return, so two
    agencies never overwrite or delete each other's; ``agency`` is empty for readings imported
    or recorded before returns carried them (one such reading per date).
    """

    measure = models.ForeignKey(
        SuccessMeasure,
        verbose_name="success measure",
        on_delete=models.CASCADE,
        related_name="readings",
    )
    date = models.DateField("as at")
    value = models.DecimalField("value", max_digits=14, decimal_places=2)
    note = models.CharField("note", max_length=300, blank=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name="recorded for",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_readings",
        help_text="The agency whose quarterly return recorded it; empty for imported readings.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="recorded by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = IndicatorReadingQuerySet.as_manager()

    class Meta:
        verbose_name = "indicator reading"
        ordering = ["measure", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "date", "agency"],
                name="indicator_reading_one_per_agency_and_date",
                violation_error_message="This agency already has a reading for this date.",
            ),
            models.UniqueConstraint(
                fields=["measure", "date"],
                condition=Q(agency__isnull=True),
                name="indicator_reading_one_imported_per_date",
                violation_error_message="There is already an imported reading for this date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.measure.unit} at {self.date:%d %b %Y}".strip()
