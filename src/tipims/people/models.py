"""A person as one institution recorded them. The same human recorded by the police, a shelter and
the border is three PersonRecords; linkage groups them later."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tipims.core import vocabularies
from tipims.core.fields import EncryptedDateField, EncryptedTextField

_REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I to misread over the phone


def new_reference() -> str:
    """A pseudonymous reference, random and not derived from identity: safe for analysts to see."""
    return "P-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))


class BirthDatePrecision(models.TextChoices):
    EXACT = "exact", _("Exact date")
    MONTH = "month", _("Month and year")
    YEAR = "year", _("Year only")
    ESTIMATED = "estimated", _("Estimated age")
    UNKNOWN = "unknown", _("Unknown")


class PersonRecord(models.Model):
    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_reference, editable=False
    )
    institution = models.ForeignKey(
        "accounts.Institution",
        on_delete=models.PROTECT,
        related_name="person_records",
        verbose_name=_("institution"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # identity (encrypted at rest)
    given_names = EncryptedTextField(_("given names"), blank=True)
    surname1 = EncryptedTextField(_("first surname"), blank=True)
    surname2 = EncryptedTextField(_("second surname"), blank=True)
    birth_date = EncryptedDateField(
        _("date of birth"),
        blank=True,
        null=True,
        help_text=_("For a partial date, the first day of the month or year known."),
    )
    birth_date_precision = models.CharField(
        _("precision of the date of birth"),
        max_length=10,
        choices=BirthDatePrecision.choices,
        default=BirthDatePrecision.UNKNOWN,
    )
    estimated_age = models.PositiveSmallIntegerField(_("estimated age"), null=True, blank=True)
    age_estimated_on = models.DateField(_("age estimated on"), null=True, blank=True)

    # contact (encrypted at rest)
    phone = EncryptedTextField(_("phone"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)

    # case details: needed for statistics, not identifying on their own
    sex = models.CharField(
        _("sex / gender"),
        max_length=30,
        choices=vocabularies.model_choices("prs_Gender"),
        default="NonSpecifiedUnknown",
    )
    citizenships = models.JSONField(
        _("citizenships"), default=list, blank=True, help_text=_("ISO 3166 codes")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("person record")
        verbose_name_plural = _("person records")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estimated_age__isnull=True) | models.Q(estimated_age__lte=120),
                name="person_estimated_age_plausible",
            )
        ]

    def __str__(self) -> str:
        return self.reference


class IdentityDocument(models.Model):
    person = models.ForeignKey(
        PersonRecord, on_delete=models.CASCADE, related_name="documents", verbose_name=_("person")
    )
    document_type = models.CharField(
        _("document type"), max_length=30, choices=vocabularies.model_choices("document_type")
    )
    number = EncryptedTextField(_("number"))
    # HMAC of the normalised number (crypto.blind_index): exact lookup without decrypting every row.
    number_index = models.CharField(max_length=64, db_index=True, editable=False)
    issuing_country = models.CharField(_("issuing country"), max_length=2, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")

    def __str__(self) -> str:
        return f"{self.document_type} ({self.issuing_country})"
