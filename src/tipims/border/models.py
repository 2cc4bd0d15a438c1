"""The border: crossing points, crossings, deportation receptions, the watchlist and its alerts."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tipims.core import vocabularies
from tipims.core.fields import EncryptedDateField, EncryptedTextField

_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _reference(prefix: str) -> str:
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(8))


def new_entry_reference() -> str:
    return _reference("W-")


def new_alert_reference() -> str:
    return _reference("A-")


def new_crossing_reference() -> str:
    return _reference("X-")


class CrossingPoint(models.Model):
    """A legal crossing point (land post, airport, seaport): reference data, not owned by anyone."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=vocabularies.model_choices("crossing_point_kind")
    )
    department = models.ForeignKey(
        "core.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    neighbour_country = models.CharField(
        _("neighbouring country"), max_length=2, blank=True, help_text=_("ISO 3166; empty for airports")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("crossing point")
        verbose_name_plural = _("crossing points")

    def __str__(self) -> str:
        return self.name


class Crossing(models.Model):
    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_crossing_reference, editable=False
    )
    institution = models.ForeignKey(
        "accounts.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    person = models.ForeignKey(
        "people.PersonRecord", on_delete=models.PROTECT, related_name="crossings", verbose_name=_("person")
    )
    document_type = models.CharField(
        _("document type"),
        max_length=30,
        blank=True,
        choices=vocabularies.model_choices("document_type"),
    )
    document_number = EncryptedTextField(_("document number"), blank=True)
    document_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    direction = models.CharField(
        _("direction"), max_length=3, choices=vocabularies.model_choices("crossing_direction")
    )
    crossed_at = models.DateTimeField(_("time of crossing"), db_index=True)
    point = models.ForeignKey(
        CrossingPoint, on_delete=models.PROTECT, related_name="crossings", verbose_name=_("crossing point")
    )
    deported = models.BooleanField(
        _("handed over as a deportee"),
        default=False,
        help_text=_("An entry of a person deported to Guatemala."),
    )
    is_minor = models.BooleanField(_("minor"), default=False)
    inspection = models.CharField(
        _("outcome of the check"),
        max_length=10,
        choices=vocabularies.model_choices("inspection_outcome"),
        default="clear",
    )

    class Meta:
        ordering = ["-crossed_at", "-id"]
        verbose_name = _("crossing")
        verbose_name_plural = _("crossings")

    def __str__(self) -> str:
        return self.reference


class CrossingCompanion(models.Model):
    """An adult travelling with a minor, and how the adult is related to the minor."""

    crossing = models.ForeignKey(Crossing, on_delete=models.CASCADE, related_name="companions")
    adult = models.ForeignKey(
        "people.PersonRecord", on_delete=models.PROTECT, related_name="+", verbose_name=_("adult")
    )
    relation = models.CharField(
        _("relation"), max_length=20, choices=vocabularies.model_choices("companion_relation")
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["crossing", "adult"], name="companion_once_per_crossing")
        ]

    def __str__(self) -> str:
        return f"{self.adult} ({self.relation})"


class DeportationReception(models.Model):
    """How many people foreign authorities handed over at a point on a day: counts, not persons."""

    institution = models.ForeignKey(
        "accounts.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    received_on = models.DateField(_("date"), db_index=True)
    point = models.ForeignKey(
        CrossingPoint, on_delete=models.PROTECT, related_name="+", verbose_name=_("point")
    )
    nationality = models.CharField(_("nationality"), max_length=2)
    sex = models.CharField(_("sex"), max_length=30, choices=vocabularies.model_choices("prs_Gender"))
    people = models.PositiveIntegerField(_("people received"))
    minors = models.PositiveIntegerField(_("of whom minors"), default=0)
    unaccompanied_minors = models.PositiveIntegerField(_("of whom unaccompanied minors"), default=0)

    class Meta:
        ordering = ["-received_on", "point", "nationality", "sex"]
        verbose_name = _("deportation reception")
        verbose_name_plural = _("deportation receptions")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "received_on", "point", "nationality", "sex"],
                name="deportation_reception_one_row_per_group",
            ),
            models.CheckConstraint(
                condition=models.Q(minors__lte=models.F("people")), name="reception_minors_le_people"
            ),
            models.CheckConstraint(
                condition=models.Q(unaccompanied_minors__lte=models.F("minors")),
                name="reception_unaccompanied_le_minors",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.received_on} {self.point_id} {self.nationality} {self.sex}: {self.people}"


class WatchlistEntry(models.Model):
    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_entry_reference, editable=False
    )
    institution = models.ForeignKey(
        "accounts.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # identity (encrypted at rest)
    given_names = EncryptedTextField(_("given names"), blank=True)
    surname1 = EncryptedTextField(_("first surname"), blank=True)
    surname2 = EncryptedTextField(_("second surname"), blank=True)
    name_variants = EncryptedTextField(
        _("other names"),
        blank=True,
        help_text=_("One per line: given names / first surname / second surname"),
    )
    birth_date = EncryptedDateField(_("date of birth"), blank=True, null=True)
    birth_year_only = models.BooleanField(_("only the year of birth is known"), default=False)
    # case details
    nationalities = models.JSONField(_("nationalities"), default=list, blank=True)
    reason = models.CharField(
        _("reason"), max_length=30, choices=vocabularies.model_choices("watchlist_reason")
    )
    source_institution = models.ForeignKey(
        "accounts.Institution",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("source institution"),
    )
    expires_on = models.DateField(_("expires on"))
    status = models.CharField(
        _("status"), max_length=10, choices=vocabularies.model_choices("watchlist_status"), default="pending"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("watchlist entry")
        verbose_name_plural = _("watchlist entries")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="active")
                | (models.Q(approved_by__isnull=False) & ~models.Q(approved_by=models.F("created_by"))),
                name="watchlist_active_needs_a_second_approver",
            )
        ]

    def __str__(self) -> str:
        return self.reference


class WatchlistDocument(models.Model):
    """A document on the watchlist, kept only as its keyed hash: nobody can read the number back."""

    entry = models.ForeignKey(WatchlistEntry, on_delete=models.CASCADE, related_name="documents")
    document_type = models.CharField(max_length=30, choices=vocabularies.model_choices("document_type"))
    number_index = models.CharField(max_length=64, db_index=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.document_type


class Alert(models.Model):
    """A screening hit or an indicator rule that fired, and what a reviewer decided about it."""

    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_alert_reference, editable=False
    )
    institution = models.ForeignKey(
        "accounts.Institution",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewing institution"),
    )
    created_at = models.DateTimeField(_("raised"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=30, choices=vocabularies.model_choices("alert_kind"))
    crossing = models.ForeignKey(
        Crossing, on_delete=models.PROTECT, related_name="alerts", null=True, blank=True
    )
    entry = models.ForeignKey(
        WatchlistEntry, on_delete=models.PROTECT, related_name="alerts", null=True, blank=True
    )
    score = models.FloatField(_("score"), null=True, blank=True)
    explanation = models.TextField(_("explanation"))
    details = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=vocabularies.model_choices("alert_status"), default="open"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self) -> str:
        return self.reference
