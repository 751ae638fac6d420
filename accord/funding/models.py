"""Funders, their programmes, grant rule sets as versioned data, budgets and the grants charged to them.

A :class:`Grant` is one mobility's money: computed by the pure core
(``accord.algorithms.funding.calculate``) from the :class:`RuleSetVersion` in force, stored with its
explanation lines, shared between funders by :class:`GrantShare` rows (the commitments on each
budget) and paid by :class:`Payment` rows. When the mobility's dates change the grant is computed
again and a :class:`GrantRecalculation` keeps what it was, what it is and what had been paid.
See docs/decisions/0016-funding.md.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accord.core.concurrency import VersionedModel
from accord.core.models import TimeStampedModel
from accord.funding.choices import Activity, BudgetScope, FunderKind, GrantStatus, RuleSetStatus, ShareKind
from accord.funding.querysets import GrantQuerySet, OwnedQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2}


class Funder(VersionedModel):
    """Who gives the money: the EU through a national agency, a government, a foundation, a company
    or the institution itself, as one institution (``organisation``) records it."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=FunderKind.choices)
    country_code = models.CharField(_("country"), max_length=2, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="funder_name_once")]

    def __str__(self) -> str:
        return self.name


class FundingProgramme(VersionedModel):
    """A funder's programme (Erasmus+ KA131, a foundation's travel scholarship)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="programmes")
    name = models.CharField(_("name"), max_length=200)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["funder__name", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class RuleSet(VersionedModel):
    """A programme's grant rules for a call (``erasmus-ka131-2024``), as a chain of versions."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(FundingProgramme, on_delete=models.PROTECT, related_name="rule_sets")
    key = models.SlugField(_("key"), max_length=64)
    call_year = models.PositiveSmallIntegerField(_("call year"))

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["key", "pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="rule_set_key_once")]

    def __str__(self) -> str:
        return self.key


class RuleSetVersion(VersionedModel):
    """One version of a rule set: its JSON data (see ``accord.algorithms.funding.rules``). A draft is
    edited by an administrator; an active or retired version is frozen, and a change makes a new
    version. ``data`` holds every figure with its source document, page and validity."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(max_length=8, choices=RuleSetStatus.choices, default=RuleSetStatus.DRAFT)
    data = models.JSONField(_("rules"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["rule_set", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "number"], name="rule_set_version_once"),
            models.UniqueConstraint(
                fields=["rule_set"], condition=models.Q(status="active"), name="one_active_rule_set_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_set_id} v{self.number}"


class Budget(VersionedModel):
    """Money a funder gives for a year, to a programme or call, project, partnership or cost centre."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="budgets")
    programme = models.ForeignKey(
        FundingProgramme, on_delete=models.PROTECT, null=True, blank=True, related_name="budgets"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scope = models.CharField(
        _("scope"), max_length=16, choices=BudgetScope.choices, default=BudgetScope.PROGRAMME
    )
    name = models.CharField(_("name"), max_length=200)
    reference = models.CharField(_("grant agreement or project number"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    amount = models.DecimalField(_("amount"), **MONEY)
    starts_on = models.DateField(_("funding starts"), null=True, blank=True)
    ends_on = models.DateField(_("funding ends"), null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "name", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_not_negative")]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class Allocation(VersionedModel):
    """Part of a budget set aside for a purpose (a call, a faculty, a partner's places)."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="allocations")
    label = models.CharField(_("purpose"), max_length=200)
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        ordering = ["budget", "label", "pk"]

    def __str__(self) -> str:
        return self.label


class Grant(VersionedModel):
    """A mobility's grant: the inputs it was computed from, the explanation lines and the total.

    ``distance_km`` is the great-circle distance between the two institutions' cities;
    ``distance_override_km`` (with its reason) replaces it when the real place differs."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    mobility = models.OneToOneField("mobilities.Mobility", on_delete=models.PROTECT, related_name="grant")
    rule_set_version = models.ForeignKey(RuleSetVersion, on_delete=models.PROTECT, related_name="grants")
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="grants")
    status = models.CharField(max_length=12, choices=GrantStatus.choices, default=GrantStatus.COMMITTED)
    activity = models.CharField(_("activity"), max_length=24, choices=Activity.choices)
    fewer_opportunities = models.BooleanField(_("participant with fewer opportunities"), default=False)
    green_travel = models.BooleanField(_("green travel"), default=False)
    travel_days = models.PositiveSmallIntegerField(_("travel days"), default=0)
    country_group = models.CharField(_("country group"), max_length=8, blank=True)
    distance_km = models.PositiveIntegerField(_("distance (km)"), null=True, blank=True)
    distance_override_km = models.PositiveIntegerField(_("distance used instead (km)"), null=True, blank=True)
    distance_override_reason = models.CharField(_("why another distance"), max_length=300, blank=True)
    co_funding = models.JSONField(_("who pays what"), default=list, blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    currency = models.CharField(max_length=3)
    total = models.DecimalField(_("grant"), **MONEY)
    lines = models.JSONField(default=list)

    objects = GrantQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "pk"]

    def __str__(self) -> str:
        return f"Grant {self.pk} ({self.total} {self.currency})"

    @property
    def distance_used(self) -> int | None:
        return self.distance_override_km if self.distance_override_km is not None else self.distance_km


class GrantShare(TimeStampedModel):
    """What one budget (its funder) pays of a grant: the commitment on that budget."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="shares")
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="shares")
    kind = models.CharField(max_length=12, choices=ShareKind.choices)
    amount = models.DecimalField(**MONEY)
    explanation = models.CharField(max_length=300)

    class Meta:
        ordering = ["grant", "pk"]
        constraints = [models.UniqueConstraint(fields=["grant", "budget"], name="one_share_per_budget")]


class Payment(TimeStampedModel):
    """Money paid to the participant (a negative amount: money paid back). Never edited: a mistake is
    corrected by another payment."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="payments")
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="payments")
    label = models.CharField(_("instalment"), max_length=200)
    amount = models.DecimalField(_("amount"), **MONEY)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["grant", "paid_on", "pk"]


class GrantRecalculation(models.Model):
    """A grant computed again (dates recorded or changed, another distance): before, after, and what
    had been paid by then, so the difference to pay or recover is plain."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="recalculations")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=300)
    old_total = models.DecimalField(**MONEY)
    new_total = models.DecimalField(**MONEY)
    paid = models.DecimalField(**MONEY, default=Decimal(0))
    old_lines = models.JSONField(default=list)
    new_lines = models.JSONField(default=list)

    class Meta:
        ordering = ["grant", "-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.old_total} → {self.new_total}"

    @property
    def difference(self) -> Decimal:
        return self.new_total - self.old_total

    @property
    def balance(self) -> Decimal:
        """What is still to pay (negative: to recover) after this recalculation."""
        return self.new_total - self.paid
