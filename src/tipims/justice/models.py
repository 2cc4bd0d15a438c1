"""Complaints, criminal cases through the courts, defendants, measures, charges, judgments, appeals,
the legal provisions they are charged under, and integrity cases against officials.

Children of a criminal case (phase events, defendants, measures, charges, judgments, appeals) are
reached only through their case, which the access policy scopes; they carry no owner of their own.
Victims and defendants are person records of the case's own institution (``people.PersonRecord``).
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tipims.core import vocabularies
from tipims.core.fields import EncryptedTextField

_REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I to misread over the phone


def _reference(prefix: str) -> str:
    return prefix + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))


def new_complaint_reference() -> str:
    """Also the receipt code a complainant is given: random, never derived from what was sent."""
    return _reference("D-")


def new_case_reference() -> str:
    return _reference("K-")


def new_integrity_reference() -> str:
    return _reference("I-")


PHASES = [term.code for term in vocabularies.terms("criminal_case_phase")]


class Owned(models.Model):
    institution = models.ForeignKey(
        "accounts.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Complaint(Owned):
    """A complaint (denuncia) as the receiving institution recorded it."""

    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_complaint_reference, editable=False
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=vocabularies.model_choices("complaint_channel")
    )
    received_on = models.DateField(_("received on"), db_index=True)
    occurred_on = models.DateField(_("events occurred on"), null=True, blank=True)
    department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    narrative = EncryptedTextField(_("narrative"), blank=True)
    indicators = models.JSONField(_("trafficking indicators"), default=list, blank=True)
    exploitation_types = models.JSONField(_("forms of exploitation"), default=list, blank=True)
    status = models.CharField(
        _("triage status"),
        max_length=20,
        choices=vocabularies.model_choices("complaint_status"),
        default="open",
        db_index=True,
    )
    status_reason = models.TextField(_("reason"), blank=True)
    triaged_on = models.DateField(_("triaged on"), null=True, blank=True)
    referred_to = models.ForeignKey(
        "accounts.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred to"),
    )
    case = models.ForeignKey(
        "justice.CriminalCase",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("criminal case"),
    )

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [models.Index(fields=["institution", "status", "received_on"], name="complaint_queue")]

    def __str__(self) -> str:
        return self.reference


class CriminalCase(Owned):
    """A criminal case of one prosecution office (the owning institution)."""

    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_case_reference, editable=False
    )
    number = models.CharField(_("case number"), max_length=20, help_text=_("Such as 9023-03."))
    district = models.CharField(_("district"), max_length=80, blank=True)
    court = models.CharField(_("court"), max_length=120, blank=True)
    unit = models.CharField(_("prosecution unit"), max_length=120, blank=True)
    department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department of the offence"),
    )
    offence_date = models.DateField(_("date of the offence"))
    opened_on = models.DateField(_("opened on"), db_index=True)
    exploitation_types = models.JSONField(_("forms of exploitation"), default=list, blank=True)
    summary = EncryptedTextField(_("summary of the facts"), blank=True)
    phase = models.CharField(
        _("phase"),
        max_length=20,
        choices=vocabularies.model_choices("criminal_case_phase"),
        default="complaint",
        db_index=True,
    )
    phase_since = models.DateField(_("in this phase since"))
    disposition = models.CharField(
        _("disposition"),
        max_length=30,
        choices=vocabularies.model_choices("criminal_case_disposition"),
        blank=True,
        db_index=True,
    )
    disposition_on = models.DateField(_("disposition on"), null=True, blank=True)
    victims = models.ManyToManyField(
        "people.PersonRecord", blank=True, related_name="+", verbose_name=_("victims")
    )

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("criminal case")
        verbose_name_plural = _("criminal cases")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "number"], name="criminal_case_number_unique_per_office"
            )
        ]
        indexes = [
            models.Index(fields=["institution", "opened_on"], name="case_office_opened"),
            models.Index(fields=["institution", "phase", "phase_since"], name="case_office_phase"),
            # The case list filters by place or phase and sorts by opening date: both stay index reads.
            models.Index(fields=["institution", "department", "opened_on"], name="case_office_place_opened"),
            models.Index(fields=["institution", "phase", "opened_on"], name="case_office_phase_opened"),
        ]

    def __str__(self) -> str:
        return self.number


class PhaseEvent(models.Model):
    case = models.ForeignKey(CriminalCase, on_delete=models.CASCADE, related_name="phase_events")
    phase = models.CharField(
        _("phase"), max_length=20, choices=vocabularies.model_choices("criminal_case_phase")
    )
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["date", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "phase"], name="phase_event_once_per_case")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.phase}"


class LegalProvision(models.Model):
    """One version of a legal provision: a reform is a new row with the same code and a later date."""

    code = models.SlugField(
        _("code"), max_length=40, help_text=_("The same for every version, such as cp-194.")
    )
    offence = models.CharField(_("offence"), max_length=40, choices=vocabularies.model_choices("offence"))
    law_es = models.CharField(_("law (Spanish)"), max_length=200)
    law_en = models.CharField(_("law (English)"), max_length=200)
    article = models.CharField(_("article"), max_length=20)
    title_es = models.CharField(_("offence (Spanish)"), max_length=200)
    title_en = models.CharField(_("offence (English)"), max_length=200)
    effective_from = models.DateField(_("in force from"))
    repealed_on = models.DateField(_("repealed on"), null=True, blank=True)
    min_years = models.DecimalField(
        _("minimum prison (years)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    max_years = models.DecimalField(
        _("maximum prison (years)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    min_fine_gtq = models.DecimalField(
        _("minimum fine (GTQ)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    max_fine_gtq = models.DecimalField(
        _("maximum fine (GTQ)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    aggravations = models.JSONField(
        _("aggravating factors"),
        default=list,
        blank=True,
        help_text=_('A list of {"code", "raise" (a fraction such as "2/3"), "es", "en"}.'),
    )
    note_es = models.TextField(_("note (Spanish)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)

    class Meta:
        ordering = ["code", "-effective_from"]
        verbose_name = _("legal provision")
        verbose_name_plural = _("legal provisions")
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="provision_one_version_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.law_es} art. {self.article} ({self.effective_from:%Y-%m-%d})"

    def aggravation_raise(self, codes) -> Fraction:
        """The largest raise among the given factors: the law raises the range once, not per factor."""
        raises = [Fraction(item["raise"]) for item in self.aggravations if item["code"] in set(codes)]
        return max(raises, default=Fraction(0))

    def sentence_range(self, aggravating_factors=()) -> dict[str, Decimal | None]:
        factor = 1 + self.aggravation_raise(aggravating_factors)

        def scaled(value):
            if value is None:
                return None
            return (Decimal(value) * factor.numerator / factor.denominator).quantize(Decimal("0.01"))

        return {
            "min_years": scaled(self.min_years),
            "max_years": scaled(self.max_years),
            "min_fine_gtq": scaled(self.min_fine_gtq),
            "max_fine_gtq": scaled(self.max_fine_gtq),
        }


class Defendant(models.Model):
    case = models.ForeignKey(CriminalCase, on_delete=models.CASCADE, related_name="defendants")
    person = models.ForeignKey(
        "people.PersonRecord", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    roles = models.JSONField(_("role in the process"), default=list, blank=True)
    is_public_official = models.BooleanField(_("public official"), default=False)
    official_institution = models.CharField(_("institution of the official"), max_length=200, blank=True)
    official_position = models.CharField(_("position"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="defendant_once_per_case")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.person_id}"


class Measure(models.Model):
    defendant = models.ForeignKey(Defendant, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(
        _("measure"), max_length=30, choices=vocabularies.model_choices("justice_measure")
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    ordered_by = models.CharField(_("ordered by"), max_length=200, blank=True)
    bail_gtq = models.DecimalField(_("bail (GTQ)"), max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.date:%Y-%m-%d}"


class Charge(models.Model):
    defendant = models.ForeignKey(Defendant, on_delete=models.CASCADE, related_name="charges")
    provision = models.ForeignKey(
        LegalProvision, on_delete=models.PROTECT, related_name="charges", verbose_name=_("legal provision")
    )
    offence_date = models.DateField(_("date of the offence"))
    filed_on = models.DateField(_("filed on"), db_index=True)
    aggravating_factors = models.JSONField(_("aggravating factors"), default=list, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            # The case list's "offence charged" filter asks, case by case, whether a defendant has a
            # charge under one of the offence's provisions: this index answers without reading rows.
            models.Index(fields=["defendant", "provision"], name="charge_defendant_provision"),
        ]

    def __str__(self) -> str:
        return f"{self.defendant_id}:{self.provision_id}"


class Judgment(models.Model):
    charge = models.OneToOneField(Charge, on_delete=models.CASCADE, related_name="judgment")
    verdict = models.CharField(_("verdict"), max_length=20, choices=vocabularies.model_choices("verdict"))
    date = models.DateField(_("date"), db_index=True)
    court = models.CharField(_("court"), max_length=200, blank=True)
    prison_years = models.DecimalField(
        _("prison (years)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    fine_gtq = models.DecimalField(_("fine (GTQ)"), max_digits=12, decimal_places=2, null=True, blank=True)
    suspended = models.BooleanField(_("suspended sentence"), default=False)
    departure_reason = models.TextField(_("reason for a sentence outside the legal range"), blank=True)
    is_final = models.BooleanField(_("final (no further appeal)"), default=False)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.verdict} {self.date:%Y-%m-%d}"


class Appeal(models.Model):
    judgment = models.ForeignKey(Judgment, on_delete=models.CASCADE, related_name="appeals")
    filed_by = models.CharField(
        _("filed by"), max_length=20, choices=vocabularies.model_choices("appeal_party")
    )
    filed_on = models.DateField(_("filed on"))
    court = models.CharField(_("court"), max_length=200, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=vocabularies.model_choices("appeal_outcome"), default="pending"
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    class Meta:
        ordering = ["filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.filed_by} {self.filed_on:%Y-%m-%d}"


class IntegrityCase(Owned):
    """A case against an official: only integrity officers see it; the coordinator sees counts."""

    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_integrity_reference, editable=False
    )
    official = models.ForeignKey(
        "people.PersonRecord", on_delete=models.PROTECT, related_name="+", verbose_name=_("official")
    )
    official_institution = models.ForeignKey(
        "accounts.Institution",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("institution of the official"),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    allegations = models.JSONField(_("allegations"), default=list)
    proceeding = models.CharField(
        _("proceeding"), max_length=30, choices=vocabularies.model_choices("integrity_proceeding")
    )
    opened_on = models.DateField(_("opened on"), db_index=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=30,
        choices=vocabularies.model_choices("integrity_outcome"),
        default="pending",
    )
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    details = EncryptedTextField(_("details"), blank=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("integrity case")
        verbose_name_plural = _("integrity cases")

    def __str__(self) -> str:
        return self.reference
