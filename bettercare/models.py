"""Areas, their partner organisations and schemes, who belongs to which area, and background
jobs."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .fields import FinancialYearField, QuarterField
from .periods import FinancialYear, Quarter
from .roles import Role

HWB_CODE = r"^E(06|07|08|09|10)\d{6}$"
ons_code_validator = RegexValidator(
    HWB_CODE,
    "An ONS area code is E06, E08, E09 or E10 followed by six digits, e.g. E06000045.",
)
# A comparator's code: England's ONS code (E92000001), a region's (E12...), or a code of the
# installation's own for a group with none (a statistical-neighbour group, e.g. SNSOTON).
area_code_validator = RegexValidator(
    r"^[A-Z][A-Z0-9]{2,8}$",
    "An area code is 3 to 9 capital letters or digits, e.g. E06000045 or E92000001.",
)
partner_code_validator = RegexValidator(
    r"^[A-Z][A-Z0-9]{1,11}$",
    "A partner's short code is 2 to 12 capital letters or digits, e.g. CCG or SCC.",
)


class AreaQuerySet(models.QuerySet):
    def reportable(self) -> AreaQuerySet:
        """The Health and Wellbeing Board areas: those a person reports for and switches
        between; never the comparators."""
        return self.filter(kind=Area.Kind.HWB)

    def comparators(self) -> AreaQuerySet:
        return self.filter(kind=Area.Kind.COMPARATOR)


class Area(models.Model):
    """A Health and Wellbeing Board area: the unit every Better Care record belongs to.

    Or, of kind "comparator", a reference series the areas are benchmarked against (England, a
    statistical-neighbour group): its figures and populations are loaded through the same
    imports, it has nothing else (no members, schemes or packs), it is never a reportable area
    and never ranked. Comparators are national reference data: every signed-in person sees
    them beside their own areas; whoever may import metrics may load them."""

    class Kind(models.TextChoices):
        HWB = "hwb", "Health and Wellbeing Board area"
        COMPARATOR = "comparator", "Comparator (England, a statistical-neighbour group)"

    code = models.CharField(
        "ONS code",
        max_length=9,
        unique=True,
        validators=[area_code_validator],
        help_text="The area's ONS code, e.g. E06000045 for Southampton; for a comparator, "
        "E92000001 for England or a code of your own for a group (e.g. SNSOTON).",
    )
    name = models.CharField(max_length=120)
    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        default=Kind.HWB,
        help_text="A comparator is a reference series (England, statistical neighbours) that "
        "areas are benchmarked against; it is never reported for or ranked.",
    )
    current_quarter = QuarterField(
        "quarter being reported",
        blank=True,
        help_text="The quarter the area is reporting now, e.g. 2018-19-Q2. Leave blank to use "
        "the last quarter that has ended.",
    )
    vision = models.TextField(
        "programme vision",
        blank=True,
        help_text="The Better Care programme's vision, as the board pack's overview states it.",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="AreaMembership", related_name="areas", blank=True
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        if self.kind == self.Kind.HWB and self.code:
            try:
                ons_code_validator(self.code)
            except ValidationError as error:
                raise ValidationError({"code": error.messages}) from error

    @property
    def is_comparator(self) -> bool:
        return self.kind == self.Kind.COMPARATOR

    def reporting_quarter(self, today: dt.date | None = None) -> Quarter:
        if self.current_quarter:
            return self.current_quarter
        return Quarter.last_ended_before(today or timezone.localdate())


class Partner(models.Model):
    """An organisation pooling money in the area's Section 75 agreement."""

    class Kind(models.TextChoices):
        NHS = "nhs", "NHS commissioner (CCG or ICB)"
        COUNCIL = "council", "Council"

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="partners")
    code = models.CharField(
        "short code",
        max_length=12,
        validators=[partner_code_validator],
        help_text="As finance files and reports name the partner, e.g. CCG or SCC.",
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["area", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["area", "code"], name="partner_code_unique_in_area"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class AreaMembership(models.Model):
    """A user's place in an area, and the role they hold there: what they may do with that
    area's data (and nothing in an area where they hold no membership). A membership with no
    role shows the area but lets its holder do nothing there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="area_memberships"
    )
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        "role in this area",
        max_length=20,
        choices=Role.choices,
        blank=True,
        help_text="What the person does in this area; they may hold another role elsewhere.",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["area", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "area"], name="one_membership_per_area"),
        ]

    def __str__(self) -> str:
        role = f" ({self.get_role_display()})" if self.role else ""
        return f"{self.user} in {self.area}{role}"


NOT_POOLED_LABEL = "Budgets not pooled - Joint Oversight of Scheme"


class SchemeQuerySet(models.QuerySet):
    def in_area(self, area: Area) -> SchemeQuerySet:
        return self.filter(area=area)

    def active_in(self, year: FinancialYear) -> SchemeQuerySet:
        return self.filter(Q(first_year__lte=year), Q(last_year="") | Q(last_year__gte=year))

    def led_by(self, user) -> SchemeQuerySet:
        return self.filter(leads=user)


class Scheme(models.Model):
    """A scheme of the pooled fund, numbered within its area (1. Carers, 2. Clusters, ...).

    The area's register of schemes: highlight reports (`schemes`), budgets and forecasts
    (`finance`) and board packs (`reports`) all refer to it, so it lives here, below them."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="schemes")
    number = models.PositiveSmallIntegerField(help_text="The scheme's number in the area's plan.")
    name = models.CharField(
        max_length=200, help_text="The scheme's name now; earlier years may differ (see below)."
    )
    short_name = models.CharField(
        max_length=60, blank=True, help_text="A short form for tables, e.g. Rehab & Reablement."
    )
    pooled = models.BooleanField(
        "budgets pooled",
        default=True,
        help_text=f"Untick for a scheme whose budgets are not pooled (“{NOT_POOLED_LABEL}”).",
    )
    host = models.ForeignKey(
        Partner,
        verbose_name="host organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_schemes",
        help_text="The partner hosting the scheme; empty when budgets are not pooled.",
    )
    pooled_budget_manager = models.CharField(max_length=200, blank=True)
    aims = models.TextField(
        "original aims and anticipated outcomes",
        blank=True,
        help_text="From the scheme specification; each quarter's highlight report starts from it.",
    )
    first_year = FinancialYearField(help_text="The first financial year of the scheme.")
    last_year = FinancialYearField(
        blank=True, help_text="The last financial year of the scheme; blank while it continues."
    )
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="led_schemes",
        blank=True,
        help_text="Scheme leads who write this scheme's highlight reports.",
    )
    # Kept under the tables the schemes app created for it, where the register began.
    history = HistoricalRecords(table_name="schemes_historicalscheme")

    objects = SchemeQuerySet.as_manager()

    class Meta:
        db_table = "schemes_scheme"
        ordering = ["area", "number"]
        constraints = [
            models.UniqueConstraint(fields=["area", "number"], name="scheme_number_unique_in_area"),
            models.CheckConstraint(
                condition=Q(pooled=True, host__isnull=False) | Q(pooled=False, host__isnull=True),
                name="pooled_scheme_has_host",
                violation_error_message="A pooled scheme needs a host organisation, and a scheme "
                "whose budgets are not pooled has none.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def clean(self) -> None:
        if self.host_id and self.area_id and self.host.area_id != self.area_id:
            raise ValidationError({"host": "The host must be a partner of the scheme's area."})
        if self.last_year and self.first_year and self.last_year < self.first_year:
            raise ValidationError({"last_year": "The last year cannot be before the first."})

    @property
    def host_label(self) -> str:
        return self.host.name if self.host_id else NOT_POOLED_LABEL

    def name_in(self, year: FinancialYear) -> str:
        """The scheme's name in a financial year: the year's own name if it had one."""
        for year_name in self.year_names.all():
            if year_name.financial_year == year:
                return year_name.name
        return self.name

    def is_active_in(self, year: FinancialYear) -> bool:
        return self.first_year <= year and (not self.last_year or year <= self.last_year)


class SchemeYearName(models.Model):
    """A scheme's name in one financial year, where it differed from its name now."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="year_names")
    financial_year = FinancialYearField()
    name = models.CharField(max_length=200)

    class Meta:
        db_table = "schemes_schemeyearname"
        ordering = ["scheme", "financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "financial_year"], name="one_scheme_name_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.number}. {self.name} ({self.financial_year})"


class StagedImport(models.Model):
    """An uploaded file that passed its checks and waits, with its preview shown, for the
    analyst to apply it. Applying checks it again: the data may have changed meanwhile."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="staged_imports")
    kind = models.CharField(max_length=20, help_text="What the file holds: metrics or finance.")
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    applied = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.kind} file {self.file_name} for {self.area.code}"


class Job(models.Model):
    """A piece of background work (a pack build, drawing charts, an e-mail) and how it is
    going: its state, the step it is on and, for a PDF, the pages laid out so far. Pages poll
    it; it outlives the process that runs it, so a reload, another web machine or a restarted
    worker all read the same record. See `bettercare.jobs`."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    ACTIVE = (State.QUEUED, State.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task = models.CharField(max_length=200, help_text="The job's function, as module.name.")
    kwargs = models.JSONField(default=dict, encoder=DjangoJSONEncoder, blank=True)
    key = models.CharField(
        max_length=200,
        blank=True,
        help_text="Jobs with the same key are the same work: while one is waiting or running, "
        "asking for another joins it.",
    )
    description = models.CharField(max_length=200)
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, null=True, blank=True, related_name="jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    backend = models.CharField(
        max_length=10, help_text="rq: a worker took it from Redis; thread: the web process ran it."
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    step = models.CharField(max_length=300, blank=True, help_text="What it is doing now.")
    pages = models.PositiveIntegerField(
        null=True, blank=True, help_text="Pages laid out so far, for a PDF."
    )
    result = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    error = models.TextField(blank=True, help_text="Why it failed, in words for the person.")
    worker = models.CharField(max_length=200, blank=True, help_text="Where it ran.")
    created = models.DateTimeField(default=timezone.now)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Last sign of life of the process holding it; a job whose process has gone "
        "silent is failed, so that it can be started again.",
    )

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(state__in=["queued", "running"]) & ~models.Q(key=""),
                name="one_active_job_per_key",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["queued", "running", "done", "failed"]),
                name="job_state_known",
            ),
        ]
        indexes = [models.Index(fields=["key", "created"], name="job_key_created")]

    def __str__(self) -> str:
        return f"{self.description} ({self.get_state_display().lower()})"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE
