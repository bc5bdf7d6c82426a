"""The Police and Crime Plan: objectives, measures, areas, periods and each period's figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models

from oversight.audit.history import versions
from oversight.lib import comparators as lc
from oversight.lib import periods as lp
from oversight.lib import rag as lr


def figure_field() -> models.DecimalField[Decimal | int | str | None, Decimal | None]:
    """A figure as the office records it: up to 14 whole digits and 6 decimal places, or empty."""
    return models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)


class PlanState(models.TextChoices):
    """A plan is public only once published; an archived plan is withdrawn, not deleted."""

    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class PlanQuerySet(models.QuerySet):
    def published(self) -> PlanQuerySet:
        return self.filter(state=PlanState.PUBLISHED)


class Plan(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=300)
    force = models.CharField(max_length=200, help_text="The force area, e.g. West Mercia")
    starts = models.DateField()
    ends = models.DateField()
    # Per-plan default tolerances by unit, e.g. {"percent": "3pp", "count": "5%"}.
    tolerances = models.JSONField(default=dict, blank=True)
    # The report layout (a YAML file in reports/layouts/ or the office's own folder) that
    # `oversight report` composes this plan's report with unless told otherwise.
    report_layout = models.CharField(max_length=100, default="seed-002")
    state = models.CharField(max_length=10, choices=PlanState.choices, default=PlanState.DRAFT)
    # The plan the public site opens on; at most one, and only a published one.
    current = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = versions()

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-starts", "slug"]

    def __str__(self) -> str:
        return self.title

    def tolerance_for(self, unit: str) -> lr.Tolerance:
        text = self.tolerances.get(unit)
        return lr.parse_tolerance(text) if text else lr.default_tolerance(lr.Unit(unit))

    @property
    def force_area(self) -> Area:
        return self.areas.get(is_force_area=True)


class Area(models.Model):
    """The force area, or a local policing area within it (Herefordshire, Shropshire, ...)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="areas")
    code = models.SlugField()
    name = models.CharField(max_length=200)
    is_force_area = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0)
    history = versions()

    class Meta:
        ordering = ["-is_force_area", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="area_code_unique")]

    def __str__(self) -> str:
        return self.name


class StrategicAim(models.Model):
    """An optional level above the objectives: seed 002's plan has "four strategic aims,
    underpinned by eleven objectives". A plan without aims has its objectives directly."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="aims")
    code = models.CharField(max_length=30)
    title = models.CharField(max_length=500)
    order = models.PositiveIntegerField(default=0)
    history = versions()

    class Meta:
        ordering = ["order", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="aim_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class Objective(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    aim = models.ForeignKey(
        StrategicAim,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="objectives",
        help_text="The strategic aim the objective serves, where the plan has aims",
    )
    code = models.CharField(max_length=30)
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)
    history = versions()

    class Meta:
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="objective_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class MeasureQuerySet(models.QuerySet):
    def headline(self) -> MeasureQuerySet:
        return self.filter(headline=True)


class RagMethod(models.TextChoices):
    PLAIN = "plain", "Against target and tolerance"
    SIGNIFICANCE = "significance", "Red only when significantly worse than target"


class Measure(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="measures")
    code = models.CharField(max_length=50)
    name = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=20, choices=[(u.value, u.value) for u in lr.Unit])
    polarity = models.CharField(max_length=10, choices=[(p.value, p.value) for p in lr.Polarity])
    headline = models.BooleanField(default=False)
    target_kind = models.CharField(
        max_length=20, choices=[(k.value, k.value) for k in lr.TargetKind]
    )
    target_value = figure_field()
    target_percent = figure_field()
    baseline_period = models.CharField(max_length=20, blank=True)
    baseline_value = figure_field()
    goal = figure_field()
    goal_by = models.DateField(null=True, blank=True)
    due = models.DateField(null=True, blank=True)
    target_text = models.CharField(max_length=500, blank=True)
    tolerance = models.CharField(
        max_length=20, blank=True, help_text='"5%" or "2pp"; blank for the plan default'
    )
    rag_method = models.CharField(max_length=20, choices=RagMethod.choices, default=RagMethod.PLAIN)
    minimum_sample = models.PositiveIntegerField(null=True, blank=True)
    footnotes = models.JSONField(default=list, blank=True)
    data_source = models.CharField(max_length=300, blank=True)
    noun = models.CharField(
        max_length=200,
        blank=True,
        help_text='What a count counts, in the plural, for written commentary: "domestic burglaries"',
    )
    opendata_source = models.JSONField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)
    # Data providers (force analysts) who enter this measure's figures.
    providers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="measures_provided"
    )

    objects = MeasureQuerySet.as_manager()
    history = versions()

    class Meta:
        ordering = ["objective__order", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="measure_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def target(self) -> lr.Target:
        return lr.Target(
            kind=lr.TargetKind(self.target_kind),
            value=self.target_value,
            percent=self.target_percent,
            baseline_period=self.baseline_period or None,
            baseline_value=self.baseline_value,
            goal=self.goal,
            by=self.goal_by,
            due=self.due,
            text=self.target_text,
        )

    def tolerance_rule(self) -> lr.Tolerance:
        return (
            lr.parse_tolerance(self.tolerance)
            if self.tolerance
            else self.plan.tolerance_for(self.unit)
        )

    @property
    def is_milestone(self) -> bool:
        return self.unit == lr.Unit.MILESTONE or self.target_kind == lr.TargetKind.MILESTONE


class PeriodManager(models.Manager["Period"]):
    def for_code(self, code: str) -> Period:
        """The stored period for a code, created on first use."""
        p = lp.parse_period(code)
        obj, _ = self.get_or_create(
            code=p.code,
            defaults={
                "kind": p.kind.value,
                "start": p.start,
                "end": p.end,
                "year": p.year,
                "index": p.index,
            },
        )
        return obj


class Period(models.Model):
    code = models.CharField(max_length=30, unique=True)
    kind = models.CharField(max_length=20, choices=[(k.value, k.value) for k in lp.PeriodKind])
    start = models.DateField()
    end = models.DateField()
    year = models.PositiveIntegerField()
    index = models.PositiveSmallIntegerField()

    objects = PeriodManager()

    class Meta:
        ordering = ["start", "-end"]

    def __str__(self) -> str:
        return self.code

    @property
    def spec(self) -> lp.Period:
        return lp.parse_period(self.code)

    @property
    def label(self) -> str:
        return self.spec.label


class Basis(models.TextChoices):
    PERIOD = "period", "The period alone"
    YEAR_TO_DATE = "ytd", "Year to date"


class RagChoice(models.TextChoices):
    """A published status in place of the rules' one. NONE is a figure published with no status
    (seed 002 prints none for some milestones the rules would rate)."""

    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    NONE = "none", "No status"


class ObservationState(models.TextChoices):
    """Where a figure is in the collection workflow. Imports by OPCC staff arrive approved."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Sent back"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"


class ObservationQuerySet(models.QuerySet):
    def published(self) -> ObservationQuerySet:
        """Figures the public may see: published, in a published period."""
        return self.filter(state=ObservationState.PUBLISHED)


class Observation(models.Model):
    """One figure: a measure's value (or milestone status) for a period and area."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="observations")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="observations")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="observations")
    basis = models.CharField(max_length=10, choices=Basis.choices, default=Basis.PERIOD)
    value = figure_field()
    status = models.CharField(
        max_length=20, blank=True, choices=[(s.value, s.words) for s in lr.MilestoneStatus]
    )
    target = figure_field()
    # What the figure is compared with: [{name, label, value}] (lib/comparators.py). The one named
    # "comparator" (the file's plain comparator column) is what a monitor-only measure is rated
    # against; the others are shown beside the figure.
    comparators = models.JSONField(default=list, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    rank_of = models.PositiveIntegerField(null=True, blank=True)
    rank_label = models.CharField(
        max_length=200, blank=True, help_text='What is ranked: "forces in England and Wales"'
    )
    # The span the figure's data cover, where it differs from the period (seed 002: "latest data
    # is from July 2010 to June 2011").
    data_from = models.DateField(null=True, blank=True)
    data_to = models.DateField(null=True, blank=True)
    # A survey result: how many were asked and how many answered.
    sample_size = models.PositiveIntegerField(null=True, blank=True)
    responses = models.PositiveIntegerField(null=True, blank=True)
    numerator = figure_field()
    denominator = figure_field()
    rag_override = models.CharField(max_length=10, blank=True, choices=RagChoice.choices)
    rag_reason = models.TextField(blank=True)
    comment = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    state = models.CharField(
        max_length=12, choices=ObservationState.choices, default=ObservationState.APPROVED
    )
    review_note = models.TextField(blank=True, help_text="The editor's note when sending back")
    published_at = models.DateTimeField(null=True, blank=True)
    correction_reason = models.TextField(blank=True)
    corrected_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ObservationQuerySet.as_manager()

    class Meta:
        ordering = ["measure", "period__start", "area"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period", "area"], name="one_figure_per_measure_period_area"
            )
        ]
        indexes = [
            models.Index(fields=["period", "area"]),
            # the newest change, read by every kept status's version (assessment.figures_stamp)
            models.Index(fields=["updated_at"], name="observation_updated_at"),
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.period.code} {self.area.code}: {self.value}"

    # Fields an import may set, and which a revision records when they change.
    TRACKED = (
        "basis",
        "value",
        "status",
        "target",
        "comparators",
        "rank",
        "rank_of",
        "rank_label",
        "data_from",
        "data_to",
        "sample_size",
        "responses",
        "numerator",
        "denominator",
        "rag_override",
        "rag_reason",
        "comment",
        "source",
    )

    def snapshot(self) -> dict[str, Any]:
        return {f: _plain(getattr(self, f)) for f in self.TRACKED}

    # ------------------------------------------------------------ what it is compared with

    @property
    def comparator_list(self) -> list[lc.Comparator]:
        return lc.read_list(self.comparators)

    def _rated(self) -> lc.Comparator | None:
        return next((c for c in self.comparator_list if c.name == lc.RATED), None)

    @property
    def comparator(self) -> Decimal | None:
        """The figure a monitor-only measure is rated against (the file's plain comparator)."""
        found = self._rated()
        return found.value if found else None

    @property
    def comparator_label(self) -> str:
        found = self._rated()
        return found.label if found and found.label != lc.KNOWN[lc.RATED] else ""

    @property
    def named_comparators(self) -> list[lc.Comparator]:
        """The comparators shown beside the figure (all but the rated one)."""
        return [c for c in self.comparator_list if c.name != lc.RATED]

    @property
    def rank_words(self) -> str:
        return lc.rank_words(self.rank, self.rank_of, self.rank_label)

    # ------------------------------------------------------------ how current it is

    @property
    def data_span(self) -> tuple[date, date] | None:
        """The span the data cover where it was given (either end defaults to the period's)."""
        if self.data_from is None and self.data_to is None:
            return None
        return (self.data_from or self.period.start, self.data_to or self.period.end)

    @property
    def data_span_words(self) -> str:
        span = self.data_span
        return lp.data_span_words(*span) if span else ""

    @property
    def stale(self) -> bool:
        """Whether the data ended more than OVERSIGHT_STALE_MONTHS before the period did."""
        span = self.data_span
        if span is None:
            return False
        return lp.is_stale(span[1], self.period.end, settings.OVERSIGHT_STALE_MONTHS)

    @property
    def stale_words(self) -> str:
        """ "stale: the data end 24 months before the period" or ""."""
        span = self.data_span
        if not span or not self.stale:
            return ""
        n = lp.months_before(span[1], self.period.end)
        return f"stale: the data end {n} months before the period does"

    @property
    def vintage_words(self) -> str:
        """ "latest data: July 2010 – June 2011 (stale: …)" or ""."""
        if not self.data_span:
            return ""
        words = f"latest data: {self.data_span_words}"
        return f"{words} ({self.stale_words})" if self.stale else words

    @property
    def is_survey(self) -> bool:
        return self.sample_size is not None and self.responses is not None


def _plain(value: object) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, dict, int)) and not isinstance(value, bool):
        return value
    return str(value)


class CollectionStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Collection(models.Model):
    """A period's data collection, opened by an editor; data providers enter figures while open."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="collections")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="collections")
    status = models.CharField(
        max_length=10, choices=CollectionStatus.choices, default=CollectionStatus.OPEN
    )
    due = models.DateField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period__start"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="one_collection_per_period")
        ]


class PanelRelease(models.Model):
    """The office releases a period's figures to the Police and Crime Panel before they are public
    (e.g. with the agenda pack). The Panel reads the release as it was: `snapshot` holds the approved
    figures, the narrative and the commentary at that moment, so a later change (a provider's
    resubmission, an edit) does not reach the Panel until the office releases again. Every release
    is kept; the newest one is what the Panel reads."""

    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, related_name="panel_releases"
    )
    released_at = models.DateTimeField(auto_now_add=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["-released_at", "-id"]

    def __str__(self) -> str:
        return f"{self.collection.period.code} released to the Panel"


class Publication(models.Model):
    """A published period: its approved figures are public and locked against silent change."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="publications")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="publications")
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-period__start"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="one_publication_per_period")
        ]


class ObservationRevision(models.Model):
    """A figure as it was before a change: nothing recorded is ever lost silently."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="revisions")
    previous = models.JSONField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_by_name = models.CharField(max_length=150, blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]


class Section(models.TextChoices):
    PURPOSE = "purpose", "Purpose"
    BACKGROUND = "background", "Background"
    FORMAT = "format", "Format of the report"
    PART1_INTRO = "part1", "Part 1 introduction"
    OBJECTIVE = "objective", "Objective update"
    PART2_INTRO = "part2", "Part 2 introduction"
    HEADLINE_MEASURES = "headline_measures", "Headline measures"
    OTHER_MEASURES = "other_measures", "Other measures"
    ACTIVITY = "activity", "Part 3 activity"
    RECOMMENDATIONS = "recommendations", "Recommendations"
    # Sections of the other report layouts (seed 003's committee paper, seed 004's summary).
    SUMMARY = "summary", "Executive summary"
    RECOMMENDATION = "recommendation", "Recommendation"
    DELIVERY = "delivery", "Delivery plan and assurance"
    FINANCE = "finance", "Finance"
    ENGAGEMENT = "engagement", "Engagement"
    PERFORMANCE = "performance", "Performance"
    IMPLICATIONS = "implications", "Implications"  # key: risk, financial, legal or equality
    SUPPORTING = "supporting", "Supporting information"
    CONTACTS = "contacts", "Contact points"


class Narrative(models.Model):
    """Text written by the office for one section of a period's report (Markdown)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="narratives")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="narratives")
    section = models.CharField(max_length=30, choices=Section.choices)
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.CASCADE, related_name="narratives"
    )
    key = models.CharField(max_length=100, blank=True, help_text="Orders several activity items")
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    order = models.PositiveIntegerField(default=0)
    # What the public reads: a copy made when the period (or the narrative) is published, so an
    # edit after publication stays a draft until it is published in its turn.
    published_title = models.CharField(max_length=300, blank=True)
    published_body = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = versions()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "period", "section", "objective", "key"],
                name="one_narrative_per_slot",
            )
        ]


class Commentary(models.Model):
    """The office's commentary on a measure for a period and area. Without one, the report and the
    pages show the draft the statistics write from the numbers; once saved, this text wins."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="commentaries")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    # What the public reads (see Narrative): copied from `text` when the period is published.
    published_text = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = versions()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period", "area"], name="one_commentary_per_measure_period_area"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.period.code}: commentary"
