"""Strategies, their action plans, and the actions agencies coordinate.

Strategy › StrategySection › StrategyItem; Strategy › PriorityArea (› StrategyPriorityAction)
/ FocusArea; Strategy › WorkProgrammeOverview; Strategy › ActionPlan › ActionGroup › Action
(› sub-actions) › ActionAgency (lead/supporting) › SuccessMeasure › IndicatorReading.
An ``Assumption`` marks any of these facts that its source doesn't state.
"""

import re

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Prefetch, Q
from simple_history.models import HistoricalRecords

from agencies.models import Agency

from .querysets import (
    ActionAgencyQuerySet,
    ActionPlanQuerySet,
    ActionQuerySet,
    AssumptionQuerySet,
    IndicatorReadingQuerySet,
    ReferenceDataQuerySet,
    StrategyQuerySet,
)
from .timeframes import parse_timeframe


def natural_sort_key(number: str) -> str:
    """Sorts action numbers as people do: “2” < “10”, “13” < “13a” < “14”, “1.1” < “1.10”."""
    parts = re.split(r"(\d+)", number.strip().lower())
    return "".join(part.zfill(6) if part.isdigit() else part for part in parts)


class Assumption(models.Model):
    """A fact the product holds that its source document doesn't state: a needed default or an
    inference, with the reason, for the secretariat to confirm or correct. ``field`` names the
    fact on the object (blank for the whole record, e.g. an agency inferred from a note)."""

    class Status(models.TextChoices):
        OPEN = "open", "Assumed, not yet confirmed"
        CONFIRMED = "confirmed", "Confirmed by the secretariat"
        CORRECTED = "corrected", "Corrected by the secretariat"

    content_type = models.ForeignKey(
        ContentType, verbose_name="kind of record", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField("record id")
    record = GenericForeignKey("content_type", "object_id")
    field = models.CharField(
        "fact",
        max_length=60,
        blank=True,
        help_text="The field that is assumed, e.g. “start_date”; blank for the whole record.",
    )
    reason = models.CharField(
        "reason",
        max_length=300,
        help_text="Why it is assumed, e.g. “dates not given in the source”.",
    )
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="confirmed or corrected by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField("confirmed or corrected at", null=True, blank=True)
    resolution_note = models.TextField("note", blank=True)
    history = HistoricalRecords()

    objects = AssumptionQuerySet.as_manager()

    class Meta:
        verbose_name = "assumption"
        ordering = ["content_type", "object_id", "field"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field"],
                name="assumption_one_per_fact",
                violation_error_message="This fact already has an assumption.",
            )
        ]

    def __str__(self) -> str:
        return f"Assumption: {self.reason}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def resolve(self, *, status: str, by, note: str = "") -> None:
        """The secretariat confirms the fact as it stands, or records that it was corrected."""
        from django.utils import timezone

        if status not in (self.Status.CONFIRMED, self.Status.CORRECTED):
            raise ValueError(f"an assumption is resolved as confirmed or corrected, not {status!r}")
        self.status, self.resolved_by, self.resolved_at = status, by, timezone.now()
        self.resolution_note = note or self.resolution_note
        self.save()


class HasAssumptions(models.Model):
    """A record some of whose facts may be assumptions (see ``Assumption``)."""

    assumptions = GenericRelation(Assumption, verbose_name="assumptions")

    class Meta:
        abstract = True

    @staticmethod
    def prefetch_assumptions() -> Prefetch:
        """Prefetches the assumptions of a list of records as a plain list on each: a page of
        thousands of records builds no queryset per record to hold them."""
        return Prefetch("assumptions", to_attr="assumption_list")

    def open_assumptions(self) -> list[Assumption]:
        """Open assumptions (prefetch them, ``prefetch_assumptions()`` on long lists, to read
        them without a query)."""
        assumptions = getattr(self, "assumption_list", None)
        if assumptions is None:
            assumptions = self.assumptions.all()
        return [a for a in assumptions if a.is_open]

    def assumption_for(self, field: str = "") -> Assumption | None:
        return next((a for a in self.open_assumptions() if a.field == field), None)


class Strategy(HasAssumptions):
    """A whole-of-government strategy, e.g. the TNOC Strategy 2020–2025."""

    slug = models.SlugField("slug", max_length=80, unique=True)
    title = models.CharField("title", max_length=300)
    short_title = models.CharField("short title", max_length=120)
    start_year = models.PositiveSmallIntegerField("first year")
    end_year = models.PositiveSmallIntegerField("last year", null=True, blank=True)
    vision = models.TextField("vision", blank=True)
    goal = models.TextField(
        "goal", blank=True, help_text="The strategy's goal statement, where it has one."
    )
    priority_areas_heading = models.CharField(
        "what it calls its priority areas",
        max_length=120,
        default="Priorities",
        help_text="As the source heads them, e.g. “Our strategic focus areas”.",
    )
    priority_areas_introduction = models.TextField("introduction to the priorities", blank=True)
    focus_areas_heading = models.CharField(
        "what it calls its focus areas", max_length=120, default="Areas of focus"
    )
    contributing_agencies = models.ManyToManyField(
        Agency,
        verbose_name="contributing agencies",
        blank=True,
        related_name="strategies_contributed_to",
        help_text="The agencies the source says contributed to the strategy.",
    )
    source = models.CharField("source document", max_length=300, blank=True)

    objects = StrategyQuerySet.as_manager()

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

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("actions:strategy_detail", kwargs={"slug": self.slug})


class StrategySection(models.Model):
    """One part of a strategy as the source sets it out (its principles, its definition, its
    offending types …): a heading, the source's framing text, and ordered items."""

    class Kind(models.TextChoices):
        PRINCIPLES = "principles", "Principles"
        TE_AO_MAORI_PRINCIPLES = "te_ao_maori_principles", "Te Ao Māori principles"
        OBJECTIVES = "objectives", "Objectives and goals"
        SUCCESS = "success", "What success looks like"
        VULNERABILITIES = "vulnerabilities", "Vulnerabilities"
        INDICATORS = "indicators", "Indicators"
        DEFINITION = "definition", "Definition"
        OFFENDING_TYPES = "offending_types", "Offending types"
        HARMS = "harms", "Harms"
        ENABLERS = "enablers", "Enablers"
        PERPETRATORS = "perpetrators", "Perpetrators"
        RELATED_PROGRAMMES = "related_programmes", "Related programmes"
        NEXT_STEPS = "next_steps", "Next steps"

    strategy = models.ForeignKey(
        Strategy, verbose_name="strategy", on_delete=models.CASCADE, related_name="sections"
    )
    kind = models.CharField("part", max_length=40, choices=Kind.choices)
    heading = models.CharField("heading", max_length=300, help_text="As the source heads it.")
    introduction = models.TextField(
        "introduction", blank=True, help_text="The source's framing text before the items."
    )
    closing = models.TextField("closing text", blank=True)
    order = models.PositiveSmallIntegerField("order", default=0)

    class Meta:
        verbose_name = "strategy section"
        ordering = ["strategy", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "kind"],
                name="strategy_section_one_per_kind",
                violation_error_message="The strategy already has this part.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.strategy}: {self.heading}"


class StrategyItem(models.Model):
    """An entry of a strategy section (a principle, an offending type …), or a group of entries
    where the source groups them (a block of success statements, a family of offending types)."""

    section = models.ForeignKey(
        StrategySection, verbose_name="section", on_delete=models.CASCADE, related_name="items"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="group",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    title = models.CharField("title", max_length=300, blank=True)
    summary = models.CharField(
        "short form",
        max_length=300,
        blank=True,
        help_text="The source's shorter wording of the same item, where it gives one.",
    )
    body = models.TextField("text", blank=True)
    order = models.PositiveSmallIntegerField("order", default=0)

    class Meta:
        verbose_name = "strategy item"
        ordering = ["section", "parent_id", "order"]

    def __str__(self) -> str:
        return self.title or self.body[:80]


class StrategyArea(models.Model):
    """Shared shape of a strategy's priority and focus areas."""

    strategy = models.ForeignKey(Strategy, verbose_name="strategy", on_delete=models.CASCADE)
    slug = models.SlugField("slug", max_length=80)
    name = models.CharField("name", max_length=120)
    summary = models.CharField(
        "summary",
        max_length=300,
        blank=True,
        help_text="The line the source puts beside the name, where it gives a longer description.",
    )
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


class ActionPlan(HasAssumptions):
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
    version = models.PositiveIntegerField(
        "version", default=1, help_text="Goes up by one on every change made on the editing pages."
    )
    history = HistoricalRecords()

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

    def shape_summary(self) -> str:
        """“18 actions in 26 reportable lines (10 sub-actions, 2 strands)”: actions and lines
        counted apart, as every report counts them."""
        actions = self.actions.all()
        top_level, lines = actions.top_level().count(), actions.lines().count()
        parts = actions.filter(parent__isnull=False)
        sub_actions = parts.filter(kind=Action.Kind.ACTION).count()
        strands = parts.filter(kind=Action.Kind.STRAND).count()
        summary = f"{top_level} action{'s' if top_level != 1 else ''} in {lines} reportable line"
        summary += "s" if lines != 1 else ""
        if sub_actions or strands:
            details = [
                f"{sub_actions} sub-action{'s' if sub_actions != 1 else ''}" if sub_actions else "",
                f"{strands} strand{'s' if strands != 1 else ''}" if strands else "",
            ]
            summary += f" ({', '.join(d for d in details if d)})"
        return summary

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
    version = models.PositiveIntegerField(
        "version", default=1, help_text="Goes up by one on every change made on the editing pages."
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "action group"
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


class Action(HasAssumptions):
    """One action of a plan, a lettered sub-action (``parent`` set), or a strand of an action
    (``kind`` strand, ``parent`` set): a part the plan gives its own coordinating agencies and
    success measures, which is reported on separately.

    A *reportable line* is an action with no sub-actions or strands, a sub-action, or a strand
    (``Action.objects.lines()``); an action with sub-actions or strands rolls up from them.
    """

    class Kind(models.TextChoices):
        ACTION = "action", "Action"
        STRAND = "strand", "Strand"

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
    kind = models.CharField("kind", max_length=10, choices=Kind.choices, default=Kind.ACTION)
    number = models.CharField(
        "number",
        max_length=40,
        help_text="As the plan numbers it: 1.1, 13, 13a. A strand's is its action's and its "
        "place: “1 strand 2”.",
    )
    sort_key = models.CharField("sort key", max_length=80, editable=False, db_index=True)
    title = models.CharField("title", max_length=500, help_text="The action as the plan words it.")
    short_title = models.CharField(
        "short label",
        max_length=200,
        blank=True,
        help_text="Optional, for where space is tight (charts, lists); never instead of the title.",
    )
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
    version = models.PositiveIntegerField(
        "version",
        default=1,
        help_text="Goes up by one on every change made on the editing pages: to the action, its "
        "coordinating agencies, its tags and its links.",
    )
    history = HistoricalRecords()

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = "action"
        ordering = ["plan", "sort_key"]
        # A plan's lines in order, read off the index (``obligations.PlanByPlan``).
        indexes = [models.Index(fields=["plan", "sort_key"], name="action_plan_order")]
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
            models.CheckConstraint(
                condition=~Q(kind="strand") | Q(parent__isnull=False),
                name="action_strand_has_parent",
                violation_error_message="A strand belongs to an action.",
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

    @property
    def label(self) -> str:
        """The short label where one is set, else the title: for where space is tight."""
        return self.short_title or self.title

    @property
    def is_strand(self) -> bool:
        return self.kind == self.Kind.STRAND

    @property
    def kind_label(self) -> str:
        """“Action”, “Sub-action” or “Strand”."""
        if self.is_strand:
            return "Strand"
        return "Sub-action" if self.parent_id else "Action"


def role_label(role: str, designated_at=None) -> str:
    """How pages name a coordinating agency's role: “Coordinating”, “Supporting”, or “Lead,
    designated by the secretariat on 3 December 2026”."""
    from django.utils import timezone
    from django.utils.formats import date_format

    if role == ActionAgency.Role.LEAD and designated_at:
        day = date_format(timezone.localdate(designated_at), "j F Y")
        return f"Lead, designated by the secretariat on {day}"
    return ActionAgency.Role(role).label


class ActionAgency(HasAssumptions):
    """An agency coordinating an action, sub-action or strand.

    Where the plan names coordinating agencies without a lead (``COORDINATING``), they
    coordinate jointly and each is responsible for its return. The secretariat may designate
    one of them lead (``designate_as_lead``); then the lead's return is the line's, and the
    others' returns are shown beside it. A ``SUPPORTING`` agency's return is input, never the
    line's status. Who is responsible is ``ActionAgency.objects.responsible()``.
    """

    class Role(models.TextChoices):
        COORDINATING = "coordinating", "Coordinating"
        LEAD = "lead", "Lead"
        SUPPORTING = "supporting", "Supporting"

    action = models.ForeignKey(
        Action, verbose_name="action", on_delete=models.CASCADE, related_name="coordinators"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="agency", on_delete=models.PROTECT, related_name="coordinations"
    )
    role = models.CharField("role", max_length=20, choices=Role.choices, default=Role.COORDINATING)
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="lead designated by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    designated_at = models.DateTimeField("lead designated on", null=True, blank=True)
    order = models.PositiveSmallIntegerField("order", default=0)
    history = HistoricalRecords()

    objects = ActionAgencyQuerySet.as_manager()

    class Meta:
        verbose_name = "coordinating agency"
        verbose_name_plural = "coordinating agencies"
        ordering = ["action", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "agency"],
                name="action_agency_unique",
                violation_error_message="This agency already coordinates this action.",
            ),
            models.UniqueConstraint(
                fields=["action"],
                condition=Q(role="lead"),
                name="action_agency_one_lead",
                violation_error_message="An action, sub-action or strand has at most one lead.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} ({self.role_label.lower()})"

    @property
    def is_designated_lead(self) -> bool:
        return self.role == self.Role.LEAD

    @property
    def role_label(self) -> str:
        return role_label(self.role, self.designated_at)

    def designate_as_lead(self, *, by) -> None:
        """Make this agency the line's lead (the others keep their roles, and their returns
        are shown beside the lead's). Recorded in the history with who and when."""
        from django.db import transaction
        from django.utils import timezone

        with transaction.atomic():
            for other in ActionAgency.objects.filter(action_id=self.action_id, role=self.Role.LEAD):
                if other.pk != self.pk:
                    other.role, other.designated_by, other.designated_at = (
                        self.Role.COORDINATING,
                        None,
                        None,
                    )
                    other._change_reason = f"lead designation moved to {self.agency}"
                    other.save()
            self.role, self.designated_by, self.designated_at = self.Role.LEAD, by, timezone.now()
            self._change_reason = "designated lead by the secretariat"
            self.save()


class ActionLink(HasAssumptions):
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
        verbose_name_plural = "links to earlier actions"
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
    """A “what success looks like” statement, optionally with a numeric indicator: what is
    counted, its unit, where it started (baseline and its date), where it should get to (target
    and its date), and which way is better (``direction``)."""

    class Direction(models.TextChoices):
        INCREASE = "increase", "Higher is better"
        DECREASE = "decrease", "Lower is better"
        MAINTAIN = "maintain", "Keep at the target"

    action = models.ForeignKey(
        Action, verbose_name="action", on_delete=models.CASCADE, related_name="success_measures"
    )
    statement = models.TextField("what success looks like")
    order = models.PositiveSmallIntegerField("order", default=0)
    indicator = models.CharField(
        "indicator", max_length=200, blank=True, help_text="What is counted, if anything."
    )
    unit = models.CharField("unit", max_length=40, blank=True)
    baseline = models.DecimalField(
        "baseline", max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_date = models.DateField(
        "baseline date", null=True, blank=True, help_text="When the baseline was measured."
    )
    target = models.DecimalField("target", max_digits=14, decimal_places=2, null=True, blank=True)
    target_date = models.DateField("target date", null=True, blank=True)
    direction = models.CharField(
        "which way is better",
        max_length=10,
        choices=Direction.choices,
        blank=True,
        help_text="Whether the indicator should rise, fall or hold; blank where not stated.",
    )
    version = models.PositiveIntegerField(
        "version", default=1, help_text="Goes up by one on every change made on the editing pages."
    )
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
    is_demo = models.BooleanField(
        "demonstration data",
        default=False,
        help_text="Sample data loaded by make run, not a real reading; pages and reports label it.",
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


class StrategyPriorityAction(models.Model):
    """A priority action a strategy sets under one of its focus areas, with its bullet points,
    and the plan actions that deliver it (none, where the source shows none)."""

    priority_area = models.ForeignKey(
        PriorityArea,
        verbose_name="focus area",
        on_delete=models.CASCADE,
        related_name="priority_actions",
    )
    title = models.CharField("title", max_length=300)
    lead_in = models.CharField(
        "lead-in", max_length=300, blank=True, help_text="The words before its bullet points."
    )
    bullets = models.JSONField("bullet points", default=list, blank=True)
    description = models.TextField("description", blank=True)
    order = models.PositiveSmallIntegerField("order", default=0)
    delivered_by = models.ManyToManyField(
        Action,
        verbose_name="delivered by",
        blank=True,
        related_name="strategy_priority_actions",
        help_text="The plan actions that deliver it, where the source makes that plain.",
    )
    delivery_note = models.CharField(
        "how the delivering actions were matched", max_length=300, blank=True
    )

    class Meta:
        verbose_name = "strategy priority action"
        ordering = ["priority_area", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority_area", "title"],
                name="strategy_priority_action_unique_title",
                violation_error_message="The focus area already has this priority action.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def lead_in_after_title(self) -> str:
        """The lead-in's words after the title (“that”, “to”, “so that”), for a page that has
        just shown the title; the whole lead-in where it doesn't start with the title."""
        if self.lead_in.startswith(self.title):
            return self.lead_in[len(self.title) :].strip()
        return self.lead_in


class WorkProgrammeOverview(models.Model):
    """A diagram of how a strategy sits among the Government's other programmes, kept in its
    structure: ``parts`` is a list of {"heading", "lane", "text", "items", "note"} as the source
    sets them out; ``lanes`` the diagram's lanes. Its ``marking`` goes wherever it is shown."""

    strategy = models.ForeignKey(
        Strategy,
        verbose_name="strategy",
        on_delete=models.CASCADE,
        related_name="work_programme_overviews",
    )
    slug = models.SlugField("slug", max_length=80, unique=True)
    title = models.CharField("title", max_length=300)
    marking = models.CharField(
        "security marking", max_length=60, blank=True, help_text="E.g. IN CONFIDENCE."
    )
    lanes = models.JSONField("lanes", default=list, blank=True)
    levels = models.JSONField("levels", default=list, blank=True)
    parts = models.JSONField("parts", default=list, blank=True)
    note = models.TextField("note on the transcription", blank=True)
    source = models.CharField("source document", max_length=300, blank=True)

    class Meta:
        verbose_name = "work programme overview"
        ordering = ["strategy", "title"]

    def __str__(self) -> str:
        return f"{self.title} [{self.marking}]" if self.marking else self.title
