"""The office's finance record for a plan's financial years: the budget set and its funding, the
revenue budget lines, each quarter's forecast outturn, reserves, the capital programme and its
projects, and capital receipts from the disposals register.

Money is pounds and pence held exactly (NUMERIC(14, 2)). What a paper computes is computed here,
never typed: a forecast's movement on the previous quarter's forecast, a reserve's closing
balance, a variance's status (lib.money). Every record keeps its earlier versions (`history`).
A budget set is a draft, read only by staff, until the office publishes it; a quarter's forecast
is published on its own.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q

from oversight.audit.history import versions
from oversight.core.publishing import PublishedQuerySet, money, state_field
from oversight.lib.periods import parse_period
from oversight.plans.models import Plan
from oversight.registers.models import Disposal


class BudgetSet(models.Model):
    """The budget the Commissioner set for one financial year, and how it is funded."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="budget_sets")
    financial_year = models.CharField(max_length=7, help_text='e.g. "2023/24"')
    net_budget_requirement = money()
    # After additional funding and use of reserves (seed 003 §47: "the total budget … is £277m").
    total_budget = money()
    reserves_used = money()
    precept_band_d = money()
    precept_total = money()
    budget_gap_next_year = money()
    budget_gap_note = models.TextField(
        blank=True, help_text='What the paper says of next year\'s gap ("a significant gap")'
    )
    note = models.TextField(blank=True, help_text="Source and caveats (e.g. seed 003 §47)")
    state = state_field()
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()
    history = versions()

    class Meta:
        ordering = ["plan", "-financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "financial_year"], name="budget_set_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan.slug} {self.financial_year}"

    def quarter_code(self, quarter: int) -> str:
        return f"{self.financial_year} Q{quarter}"

    @property
    def lines_total(self) -> Decimal:
        return sum((line.budget for line in self.lines.all()), Decimal(0))


class BudgetLine(models.Model):
    """One line of the revenue budget (pay, vehicles, the Commissioner's office…)."""

    budget_set = models.ForeignKey(BudgetSet, on_delete=models.CASCADE, related_name="lines")
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=300)
    category = models.CharField(max_length=100, blank=True)
    budget = money(null=False)
    order = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True)

    history = versions()

    class Meta:
        ordering = ["budget_set", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["budget_set", "code"], name="budget_line_unique")
        ]

    def __str__(self) -> str:
        return f"{self.budget_set} {self.code}"


class Forecast(models.Model):
    """A quarter's forecast of the year-end outturn, for one line or (no line) the whole budget.

    `variance` is forecast outturn − budget: positive is a projected overspend, negative an
    underspend. The movement on the previous quarter's forecast is computed (`movement`)."""

    budget_set = models.ForeignKey(BudgetSet, on_delete=models.CASCADE, related_name="forecasts")
    quarter = models.PositiveSmallIntegerField(choices=[(q, f"Q{q}") for q in range(1, 5)])
    line = models.ForeignKey(
        BudgetLine, null=True, blank=True, on_delete=models.CASCADE, related_name="forecasts"
    )
    variance = money(null=False)
    note = models.TextField(blank=True)
    state = state_field()
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()
    history = versions()

    class Meta:
        # No ordering through the nullable line: an edit locks the row (SELECT … FOR UPDATE),
        # which PostgreSQL refuses across an outer join.
        ordering = ["budget_set_id", "quarter", "line_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget_set", "quarter", "line"],
                condition=Q(line__isnull=False),
                name="forecast_line_unique",
            ),
            models.UniqueConstraint(
                fields=["budget_set", "quarter"],
                condition=Q(line__isnull=True),
                name="forecast_total_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget_set} Q{self.quarter} {self.line.code if self.line else 'total'}"

    @property
    def budget(self) -> Decimal | None:
        return self.line.budget if self.line else self.budget_set.total_budget

    @property
    def forecast_outturn(self) -> Decimal | None:
        budget = self.budget
        return None if budget is None else budget + self.variance

    @property
    def period_code(self) -> str:
        return parse_period(self.budget_set.quarter_code(self.quarter)).code


class Reserve(models.Model):
    """A reserve: its balance at the start of the year and its planned use; the closing balance
    is computed (opening − planned use), and an import's stated closing balance is checked."""

    budget_set = models.ForeignKey(BudgetSet, on_delete=models.CASCADE, related_name="reserves")
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=300)
    opening = money(null=False)
    planned_use = money(null=False)  # drawn from the reserve in the year (negative: added to it)
    note = models.TextField(blank=True)

    history = versions()

    class Meta:
        ordering = ["budget_set", "code"]
        constraints = [
            models.UniqueConstraint(fields=["budget_set", "code"], name="reserve_unique")
        ]

    def __str__(self) -> str:
        return f"{self.budget_set} {self.code}"

    @property
    def closing(self) -> Decimal:
        return self.opening - self.planned_use


class CapitalProject(models.Model):
    """A project in the year's capital programme, with its stage and the date set for the next."""

    budget_set = models.ForeignKey(
        BudgetSet, on_delete=models.CASCADE, related_name="capital_projects"
    )
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=300)
    budget = money()
    spend_to_date = money()
    stage = models.CharField(max_length=200, blank=True, help_text='e.g. "steel frame complete"')
    next_stage = models.CharField(max_length=200, blank=True, help_text='e.g. "RIBA Stage 3"')
    next_stage_due = models.DateField(null=True, blank=True)
    completion_due = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    history = versions()

    class Meta:
        ordering = ["budget_set", "code"]
        constraints = [
            models.UniqueConstraint(fields=["budget_set", "code"], name="capital_project_unique")
        ]

    def __str__(self) -> str:
        return f"{self.budget_set} {self.code}"


class ReceiptStatus(models.TextChoices):
    EXPECTED = "expected", "Expected"
    RECEIVED = "received", "Received"


class CapitalReceipt(models.Model):
    """A capital receipt from an asset in the disposals register."""

    budget_set = models.ForeignKey(BudgetSet, on_delete=models.CASCADE, related_name="receipts")
    disposal = models.ForeignKey(Disposal, on_delete=models.PROTECT, related_name="receipts")
    amount = money()
    status = models.CharField(
        max_length=10, choices=ReceiptStatus.choices, default=ReceiptStatus.EXPECTED
    )
    received_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    history = versions()

    class Meta:
        ordering = ["budget_set", "disposal__identifier"]
        constraints = [
            models.UniqueConstraint(fields=["budget_set", "disposal"], name="receipt_unique")
        ]

    def __str__(self) -> str:
        return f"{self.budget_set} {self.disposal.identifier}"
