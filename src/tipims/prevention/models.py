"""Prevention: awareness campaigns, trainings, and the national action plan (commitments, their
progress and evidence, and the coordination meetings whose decisions become commitments)."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tipims.core import vocabularies

_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _reference(prefix: str) -> str:
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(8))


def new_campaign_reference() -> str:
    return _reference("G-")


def new_training_reference() -> str:
    return _reference("T-")


def new_commitment_reference() -> str:
    return _reference("M-")


def new_meeting_reference() -> str:
    return _reference("N-")


class Owned(models.Model):
    """What every prevention record carries: the owning institution and who recorded it."""

    institution = models.ForeignKey(
        "accounts.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        abstract = True


class Campaign(Owned):
    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_campaign_reference, editable=False
    )
    title = models.CharField(_("title"), max_length=200)
    medium = models.CharField(
        _("medium"), max_length=20, choices=vocabularies.model_choices("campaign_medium")
    )
    departments = models.ManyToManyField(
        "core.Department", related_name="+", blank=True, verbose_name=_("departments")
    )
    audiences = models.JSONField(_("audiences"), default=list, blank=True)
    start = models.DateField(_("start"), db_index=True)
    end = models.DateField(_("end"), null=True, blank=True)
    reach = models.PositiveIntegerField(
        _("reach"), null=True, blank=True, help_text=_("People reached, as estimated by the institution.")
    )
    cost = models.DecimalField(_("cost (GTQ)"), max_digits=14, decimal_places=2, null=True, blank=True)
    funding_source = models.CharField(_("funding source"), max_length=200, blank=True)
    materials = models.TextField(
        _("materials"), blank=True, help_text=_("Descriptions and links, one per line.")
    )

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="campaign_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0), name="campaign_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Training(Owned):
    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_training_reference, editable=False
    )
    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(
        _("audience"), max_length=30, choices=vocabularies.model_choices("training_audience")
    )
    partner = models.CharField(_("partner"), max_length=200, blank=True)
    start = models.DateField(_("first day"), db_index=True)
    end = models.DateField(_("last day"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    women = models.PositiveIntegerField(_("women"), default=0)
    men = models.PositiveIntegerField(_("men"), default=0)
    other = models.PositiveIntegerField(_("other or unknown"), default=0)

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="training_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_hours_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def people_trained(self) -> int:
        return self.women + self.men + self.other


class TrainedByInstitution(models.Model):
    """One row of a training's breakdown: how many people came from one institution. Trainees often
    come from institutions that do not use TIPIMS (schools, municipalities), hence a name."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="by_institution")
    institution_name = models.CharField(_("institution"), max_length=200)
    people = models.PositiveIntegerField(_("people"))

    class Meta:
        ordering = ["-people", "institution_name"]
        constraints = [
            models.UniqueConstraint(fields=["training", "institution_name"], name="trained_institution_once")
        ]

    def __str__(self) -> str:
        return f"{self.institution_name}: {self.people}"


class CommitmentStatus(models.TextChoices):
    """The statuses stored. "late" is never stored: see ``Commitment.effective_status``."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


LATE = "late"
CLOSED_STATUSES = (CommitmentStatus.DONE, CommitmentStatus.DROPPED)


class Commitment(Owned):
    """One item of the national action plan. Owned by the coordinating body that keeps the plan;
    the institutions responsible for it are listed separately (at least one)."""

    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_commitment_reference, editable=False
    )
    text = models.TextField(_("commitment"))
    institutions = models.ManyToManyField(
        "accounts.Institution", related_name="+", verbose_name=_("responsible institutions")
    )
    made_on = models.DateField(
        _("made on"), default=datetime.date.today, help_text=_("When the commitment was made.")
    )
    due_date = models.DateField(_("due date"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CommitmentStatus.choices, default=CommitmentStatus.NOT_STARTED
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return self.text[:80]

    def is_late(self, on) -> bool:
        return self.status not in CLOSED_STATUSES and self.due_date < on

    def effective_status(self, on) -> str:
        """The status as people read it on a day: "late" when the due date has passed and the
        commitment is neither done nor dropped. Derived, not stored, so that it is never stale (a
        stored "late" would need a nightly job, and would hide whether work had started)."""
        return LATE if self.is_late(on) else self.status

    def status_on(self, day) -> str:
        """The effective status at the end of ``day`` (for a report's period end). A commitment closed
        (done or dropped) after that day was still open then: in progress, or late if already due."""
        if self.status in CLOSED_STATUSES and self.status_changed_on and self.status_changed_on > day:
            return LATE if self.due_date < day else CommitmentStatus.IN_PROGRESS
        return self.effective_status(day)


class ProgressUpdate(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.on}: {self.text[:60]}"


class Evidence(models.Model):
    """A link to a record in TIPIMS that shows a commitment being met: app label, model and the
    record's reference. Stored generically so any module's records can serve; the service checks that
    the record exists when the link is made."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="evidence")
    app_label = models.CharField(_("module"), max_length=40)
    model = models.CharField(_("record type"), max_length=60)
    reference = models.SlugField(_("reference"), max_length=40)
    note = models.CharField(_("note"), max_length=300, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "app_label", "model", "reference"], name="evidence_once_per_commitment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.app_label}.{self.model} {self.reference}"


class Meeting(Owned):
    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_meeting_reference, editable=False
    )
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"), db_index=True)
    institutions_present = models.ManyToManyField(
        "accounts.Institution", related_name="+", verbose_name=_("institutions present")
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("coordination meeting")
        verbose_name_plural = _("coordination meetings")

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    commitment = models.OneToOneField(
        Commitment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decision",
        verbose_name=_("commitment made from it"),
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:80]
