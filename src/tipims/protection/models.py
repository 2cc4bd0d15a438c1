"""Victims and their protection: the HTCDS victim context, protection cases, shelters and court-ordered
placements, consent, referrals between institutions, and the safe return to the country of origin.

Field names follow HTCDS 2.0 (``vic_``, ``cas_``, ``spl_``); the stored values are HTCDS picklist codes.
Rules that need more than one row (capacity, consent, the order of a return's steps) live in
``services.py``; constraints here are those a row can check on its own.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tipims.core import vocabularies
from tipims.core.fields import EncryptedTextField

_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _reference(prefix: str) -> str:
    """Random, not derived from identity: safe to show anyone who may see the record at all."""
    return prefix + "-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


def victim_reference() -> str:
    return _reference("V")


def case_reference() -> str:
    return _reference("C")


def referral_reference() -> str:
    return _reference("R")


def return_reference() -> str:
    return _reference("S")  # safe return: R is taken by referrals


def _owner(related_name: str):
    return models.ForeignKey(
        "accounts.Institution",
        on_delete=models.PROTECT,
        related_name=related_name,
        verbose_name=_("institution"),
    )


def _created_by():
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("recorded by"),
    )


class AgeGroup(models.TextChoices):
    MINOR = "minor", _("Minor")
    ADULT = "adult", _("Adult")
    UNKNOWN = "unknown", _("Unknown")


class Victim(models.Model):
    """The HTCDS victim context of one person record (one context per record)."""

    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=victim_reference, editable=False
    )
    person = models.OneToOneField(
        "people.PersonRecord", on_delete=models.PROTECT, related_name="victim", verbose_name=_("person")
    )
    # The identifying institution owns the victim context.
    institution = _owner("victims")
    created_by = _created_by()
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    identified_on = models.DateField(_("identification date"), db_index=True)
    age_group = models.CharField(
        _("age group at identification"),
        max_length=8,
        choices=AgeGroup.choices,
        default=AgeGroup.UNKNOWN,
        help_text=_("Computed from the date of birth or the estimated age on the identification date."),
    )
    # Copied from the person record at identification so statistics need no decryption or join.
    sex = models.CharField(_("sex / gender"), max_length=30, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)

    trafficking_status = models.CharField(
        _("trafficking status"),
        max_length=40,
        choices=vocabularies.model_choices("vic_TraffickingStatus"),
    )
    status_decided_by = models.CharField(
        _("organisation type that decided the status"),
        max_length=40,
        choices=vocabularies.model_choices("vic_TraffickingStatusDecisionMakingOrg"),
        blank=True,
    )
    # The standard indicators of the identification screening (UNODC's general indicators of trafficking),
    # ticked in the interview; they guide the trafficking status, they do not decide it.
    screening_indicators = models.JSONField(_("screening indicators observed"), default=list, blank=True)
    recruitment_methods = models.JSONField(_("methods of recruitment"), default=list, blank=True)
    recruitment_place = models.CharField(_("place of recruitment"), max_length=200, blank=True)
    control_methods = models.JSONField(_("methods of control"), default=list, blank=True)
    exploitation_types = models.JSONField(_("types of exploitation"), default=list, blank=True)
    # The first type, kept in a column of its own for statistics by form of exploitation.
    main_exploitation = models.CharField(_("main form of exploitation"), max_length=40, blank=True)
    forced_labour_industry = models.CharField(
        _("forced labour industry (ISIC)"),
        max_length=60,
        choices=vocabularies.model_choices("vic_ForcedLabourIndustry"),
        blank=True,
    )
    sex_exploitation_types = models.JSONField(_("types of sexual exploitation"), default=list, blank=True)
    age_when_trafficked = models.PositiveSmallIntegerField(_("age when trafficked"), null=True, blank=True)
    relationship_to_trafficker = models.CharField(
        _("relationship to the trafficker"),
        max_length=20,
        choices=vocabularies.model_choices("vic_RelationshipToTrafficker"),
        blank=True,
    )
    flagged = models.BooleanField(
        _("flagged by a border or police officer"),
        default=False,
        help_text=_("A possible victim flagged by an officer and referred to the protection institution."),
    )

    class Meta:
        ordering = ["-identified_on", "-id"]
        verbose_name = _("victim")
        verbose_name_plural = _("victims")
        indexes = [
            models.Index(fields=["institution", "-identified_on"], name="victim_inst_identified"),
            # The victim list's order: a page walks this index and checks each row against the policy.
            models.Index(fields=["-identified_on", "-id"], name="victim_identified_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(age_when_trafficked__isnull=True) | models.Q(age_when_trafficked__lte=120),
                name="victim_age_when_trafficked_plausible",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_minor(self) -> bool:
        return self.age_group == AgeGroup.MINOR


class ProtectionCase(models.Model):
    """HTCDS case: one institution's work with one victim."""

    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=case_reference, editable=False
    )
    victim = models.ForeignKey(
        Victim, on_delete=models.PROTECT, related_name="cases", verbose_name=_("victim")
    )
    institution = _owner("protection_cases")
    created_by = _created_by()
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="protection_cases",
        null=True,
        blank=True,
        verbose_name=_("caseworker"),
    )
    opened_on = models.DateField(_("opened"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=vocabularies.model_choices("cas_Status"), default="Active"
    )
    closure_reason = models.TextField(_("reason for case closure"), blank=True)
    closed_on = models.DateField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("protection case")
        verbose_name_plural = _("protection cases")
        # The case list: an institution's cases or a caseworker's, all or of one status, newest first.
        # Each index serves one of them in order, so a page reads its rows and no sort of the whole list.
        indexes = [
            models.Index(fields=["institution", "-opened_on", "-id"], name="pcase_inst_opened"),
            models.Index(
                fields=["institution", "status", "-opened_on", "-id"], name="pcase_inst_status_opened"
            ),
            models.Index(fields=["caseworker", "-opened_on", "-id"], name="pcase_worker_opened"),
            models.Index(
                fields=["caseworker", "status", "-opened_on", "-id"], name="pcase_worker_status_opened"
            ),
            # A victim's page asks for her cases of the user's institution: both columns in one index, or
            # SQLite (without ANALYZE statistics) walks the institution's whole list instead.
            models.Index(fields=["victim", "institution"], name="pcase_victim_inst"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status__in=["Closed", "ClosedReferred"]) | ~models.Q(closure_reason=""),
                name="pcase_closed_has_reason",
            )
        ]

    def __str__(self) -> str:
        return self.reference


class SupportPlan(models.Model):
    case = models.ForeignKey(
        ProtectionCase, on_delete=models.CASCADE, related_name="plans", verbose_name=_("case")
    )
    plan_type = models.CharField(_("type"), max_length=40, choices=vocabularies.model_choices("spl_Type"))
    objectives = models.TextField(_("objectives"), blank=True)
    action_plan = models.TextField(_("action plan"), blank=True)
    planned_end = models.DateField(_("planned end date"), null=True, blank=True)
    actual_end = models.DateField(_("actual end date"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("support plan")
        verbose_name_plural = _("support plans")

    def __str__(self) -> str:
        return self.plan_type


class Assessment(models.Model):
    """A risk and vulnerability assessment (HTCDS 2.0 "Assessment and Planning"), repeated during a case.

    HTCDS names three levels (individual, household, community) and gives example questions rather than
    fields; the factors are codes of the level's vocabulary (``assessment_factor_<level>``).
    """

    case = models.ForeignKey(
        ProtectionCase, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("case")
    )
    level = models.CharField(
        _("level"), max_length=12, choices=vocabularies.model_choices("assessment_level")
    )
    assessed_on = models.DateField(_("date"))
    risk_level = models.CharField(
        _("risk level"), max_length=8, choices=vocabularies.model_choices("risk_level")
    )
    factors = models.JSONField(_("risk factors present"), default=list, blank=True)
    # As sensitive as a case note: only the owning institution reads it.
    notes = EncryptedTextField(_("observations"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessed by")
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.level} {self.assessed_on}"

    @property
    def factor_labels(self) -> list[str]:
        return [vocabularies.label(f"assessment_factor_{self.level}", code) for code in self.factors]


class ServiceDelivery(models.Model):
    case = models.ForeignKey(
        ProtectionCase, on_delete=models.CASCADE, related_name="services", verbose_name=_("case")
    )
    service_type = models.CharField(
        _("service"), max_length=20, choices=vocabularies.model_choices("service_type")
    )
    delivered_on = models.DateField(_("date"), db_index=True)
    provider = models.CharField(_("provider"), max_length=200)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-delivered_on", "-id"]
        verbose_name = _("service delivered")
        verbose_name_plural = _("services delivered")

    def __str__(self) -> str:
        return f"{self.service_type} {self.delivered_on}"


class CaseNote(models.Model):
    """HTCDS case comment (cco_CaseComment), encrypted at rest."""

    case = models.ForeignKey(
        ProtectionCase, on_delete=models.CASCADE, related_name="notes", verbose_name=_("case")
    )
    text = EncryptedTextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")

    def __str__(self) -> str:
        return f"note {self.pk}"


class Shelter(models.Model):
    institution = _owner("shelters")
    name = models.CharField(_("name"), max_length=200)
    department = models.CharField(_("department"), max_length=80, blank=True)
    capacity_female_minor = models.PositiveSmallIntegerField(_("places for girls"), default=0)
    capacity_male_minor = models.PositiveSmallIntegerField(_("places for boys"), default=0)
    capacity_female_adult = models.PositiveSmallIntegerField(_("places for women"), default=0)
    capacity_male_adult = models.PositiveSmallIntegerField(_("places for men"), default=0)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("shelter")
        verbose_name_plural = _("shelters")

    def __str__(self) -> str:
        return self.name

    def capacity(self, group: str) -> int:
        return getattr(self, f"capacity_{group}")

    @property
    def total_capacity(self) -> int:
        return sum(self.capacity(group) for group in PLACEMENT_GROUPS)


PLACEMENT_GROUPS = ("female_minor", "male_minor", "female_adult", "male_adult")


class Placement(models.Model):
    """A victim's stay in a shelter, by court order."""

    victim = models.ForeignKey(
        Victim, on_delete=models.PROTECT, related_name="placements", verbose_name=_("victim")
    )
    shelter = models.ForeignKey(
        Shelter, on_delete=models.PROTECT, related_name="placements", verbose_name=_("shelter")
    )
    institution = _owner("placements")
    created_by = _created_by()
    group = models.CharField(_("group"), max_length=14, choices=vocabularies.model_choices("placement_group"))
    court = models.CharField(_("court"), max_length=200)
    court_reference = models.CharField(_("court order reference"), max_length=60)
    court_order_date = models.DateField(_("court order date"))
    start = models.DateField(_("start"), db_index=True)
    end = models.DateField(_("end"), null=True, blank=True, db_index=True)
    emergency_reason = models.TextField(_("emergency reason for placing over capacity"), blank=True)

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        indexes = [
            models.Index(fields=["shelter", "end"], name="placement_shelter_end"),
            # Who is sheltered on a day (statistics): open placements, or those ending later.
            models.Index(fields=["end", "start", "shelter"], name="placement_end_start"),
            models.Index(fields=["victim", "institution"], name="placement_victim_inst"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="placement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.shelter_id}/{self.victim_id}"


class Consent(models.Model):
    """HTCDS consent, per purpose; sharing names the institution. Withdrawal stops it at once."""

    victim = models.ForeignKey(
        Victim, on_delete=models.PROTECT, related_name="consents", verbose_name=_("victim")
    )
    institution = _owner("recorded_consents")
    created_by = _created_by()
    purpose = models.CharField(
        _("purpose"), max_length=20, choices=vocabularies.model_choices("consent_purpose")
    )
    shared_with = models.ForeignKey(
        "accounts.Institution",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("shared with"),
    )
    given_on = models.DateField(_("given on"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["victim", "institution"], name="consent_victim_inst")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(purpose="sharing") | models.Q(shared_with__isnull=False),
                name="consent_sharing_names_institution",
            )
        ]

    def __str__(self) -> str:
        return self.purpose

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class Referral(models.Model):
    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=referral_reference, editable=False
    )
    victim = models.ForeignKey(
        Victim, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("victim")
    )
    # The referring institution owns the referral; the receiving one sees it through sharing.
    institution = _owner("outgoing_referrals")
    created_by = _created_by()
    created_at = models.DateTimeField(_("referred"), auto_now_add=True, db_index=True)
    to_institution = models.ForeignKey(
        "accounts.Institution",
        on_delete=models.PROTECT,
        related_name="incoming_referrals",
        verbose_name=_("referred to"),
    )
    reason = models.CharField(
        _("reason"), max_length=40, choices=vocabularies.model_choices("cas_ReasonForOutgoingReferral")
    )
    details = models.TextField(_("details"), blank=True)
    consent = models.ForeignKey(
        Consent,
        on_delete=models.PROTECT,
        related_name="referrals",
        null=True,
        blank=True,
        verbose_name=_("consent"),
    )
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=30,
        choices=vocabularies.model_choices("referral_legal_basis"),
        blank=True,
    )
    legal_basis_reference = models.CharField(_("legal basis reference"), max_length=120, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=vocabularies.model_choices("referral_status"),
        default="pending",
        db_index=True,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("decided by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["to_institution", "status"], name="referral_to_status"),
            # The sharing rule, checked per victim: is there a referral of her to this institution?
            models.Index(fields=["victim", "to_institution"], name="referral_victim_to"),
            models.Index(fields=["victim", "institution"], name="referral_victim_inst"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent__isnull=False) | ~models.Q(legal_basis=""),
                name="referral_has_consent_or_legal_basis",
            )
        ]

    def __str__(self) -> str:
        return self.reference


class WitnessMeasure(models.Model):
    """A protection measure for a victim who is a witness in a criminal case: requested, then granted or
    denied by the deciding authority (a court or the Public Ministry's protection office)."""

    victim = models.ForeignKey(
        Victim, on_delete=models.PROTECT, related_name="witness_measures", verbose_name=_("victim")
    )
    institution = _owner("witness_measures")
    created_by = _created_by()
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    criminal_case = models.ForeignKey(
        "justice.CriminalCase",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("criminal case"),
    )
    measure = models.CharField(
        _("measure"), max_length=30, choices=vocabularies.model_choices("witness_measure_type")
    )
    requested_on = models.DateField(_("requested on"))
    requested_from = models.CharField(_("requested from"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=vocabularies.model_choices("witness_measure_status"),
        default="requested",
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    deciding_authority = models.CharField(_("deciding authority"), max_length=200, blank=True)
    decision_reference = models.CharField(_("decision reference"), max_length=60, blank=True)

    class Meta:
        ordering = ["-requested_on", "-id"]
        verbose_name = _("witness protection measure")
        verbose_name_plural = _("witness protection measures")
        indexes = [models.Index(fields=["victim", "institution"], name="witness_victim_inst")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="requested")
                | (models.Q(decided_on__isnull=False) & ~models.Q(deciding_authority="")),
                name="witness_measure_decision_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(decided_on__isnull=True)
                | models.Q(decided_on__gte=models.F("requested_on")),
                name="witness_measure_decided_after_request",
            ),
        ]

    def __str__(self) -> str:
        return self.measure


class SuspectMarker(models.Model):
    """A person record marked as a suspect or defendant, so that no child is returned to them.

    Justice's defendants plug in through ``protection.suspects.register_checker`` as well.
    """

    person = models.ForeignKey(
        "people.PersonRecord",
        on_delete=models.CASCADE,
        related_name="suspect_markers",
        verbose_name=_("person"),
    )
    institution = _owner("suspect_markers")
    created_by = _created_by()
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("suspect marker")
        verbose_name_plural = _("suspect markers")

    def __str__(self) -> str:
        return f"suspect {self.person_id}"


class SafeReturn(models.Model):
    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=return_reference, editable=False
    )
    victim = models.ForeignKey(
        Victim, on_delete=models.PROTECT, related_name="returns", verbose_name=_("victim")
    )
    institution = _owner("safe_returns")
    created_by = _created_by()
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    origin_country = models.CharField(_("country of origin"), max_length=2)
    receiving_institution = models.CharField(
        _("receiving institution of the country of origin"), max_length=200
    )
    border_point = models.CharField(
        _("border point of the handover"),
        max_length=30,
        choices=vocabularies.model_choices("return_border_point"),
    )
    family_member = models.ForeignKey(
        "people.PersonRecord",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("receiving family member"),
    )
    consent = models.ForeignKey(
        Consent,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("consent to a voluntary return"),
    )
    handed_over_on = models.DateField(_("handed over"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("safe return")
        verbose_name_plural = _("safe returns")
        indexes = [models.Index(fields=["victim", "institution"], name="return_victim_inst")]

    def __str__(self) -> str:
        return self.reference


RETURN_STEPS = tuple(term.code for term in vocabularies.terms("return_step"))
MINOR_ONLY_STEPS = frozenset({"best_interests_determination"})


class ReturnStep(models.Model):
    safe_return = models.ForeignKey(
        SafeReturn, on_delete=models.CASCADE, related_name="steps", verbose_name=_("return")
    )
    step = models.CharField(_("step"), max_length=30, choices=vocabularies.model_choices("return_step"))
    position = models.PositiveSmallIntegerField(_("order"))
    responsible = models.CharField(_("responsible institution"), max_length=200, blank=True)
    done_on = models.DateField(_("date"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("return step")
        verbose_name_plural = _("return steps")
        constraints = [
            models.UniqueConstraint(fields=["safe_return", "step"], name="return_step_once"),
        ]

    def __str__(self) -> str:
        return self.step

    @property
    def done(self) -> bool:
        return self.done_on is not None
