"""Establishments where minors may be exploited, the visits that monitor them, and operations."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tipims.core import vocabularies


class Establishment(models.Model):
    institution = models.ForeignKey(
        "accounts.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(
        _("type"), max_length=20, choices=vocabularies.model_choices("establishment_type")
    )
    department = models.ForeignKey(
        "core.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    owner = models.ForeignKey(
        "people.PersonRecord",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("owner"),
    )
    manager = models.ForeignKey(
        "people.PersonRecord",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("manager"),
    )

    class Meta:
        ordering = ["department", "name"]
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")

    def __str__(self) -> str:
        return self.name


class MonitoringVisit(models.Model):
    institution = models.ForeignKey(
        "accounts.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="visits", verbose_name=_("establishment")
    )
    visited_on = models.DateField(_("date of the visit"), db_index=True)
    entry_denied = models.BooleanField(_("entry denied"), default=False)
    minors_confirmed = models.PositiveIntegerField(_("minors confirmed"), default=0)
    minors_suspected = models.PositiveIntegerField(_("persons who appeared to be minors"), default=0)
    adults = models.PositiveIntegerField(_("adults"), default=0)
    minors_by_nationality = models.JSONField(
        _("minors by nationality"),
        default=dict,
        blank=True,
        help_text=_("ISO 3166 code (or 'unknown') to the number of minors, confirmed or apparent"),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("monitoring visit")
        verbose_name_plural = _("monitoring visits")

    def __str__(self) -> str:
        return f"{self.establishment_id} {self.visited_on}"


class Operation(models.Model):
    institution = models.ForeignKey(
        "accounts.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(_("kind"), max_length=10, choices=vocabularies.model_choices("operation_kind"))
    carried_out_on = models.DateField(_("date"), db_index=True)
    institutions = models.ManyToManyField(
        "accounts.Institution", related_name="+", verbose_name=_("institutions taking part")
    )
    establishments = models.ManyToManyField(
        Establishment, related_name="operations", verbose_name=_("establishments")
    )
    victims_rescued = models.PositiveIntegerField(_("victims rescued"), default=0)
    people_arrested = models.PositiveIntegerField(_("people arrested"), default=0)
    # The people behind the counts, when protection and justice have recorded them (identity: only
    # the institutions that may see those records see the links).
    victims = models.ManyToManyField(
        "protection.Victim", related_name="operations", blank=True, verbose_name=_("victims identified")
    )
    defendants = models.ManyToManyField(
        "justice.Defendant", related_name="operations", blank=True, verbose_name=_("defendants")
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-carried_out_on", "-id"]
        verbose_name = _("operation")
        verbose_name_plural = _("operations")

    def __str__(self) -> str:
        return f"{self.kind} {self.carried_out_on}"


class SurveyReport(models.Model):
    """A published aggregate (an NGO's survey): stated totals and breakdowns, kept as given, and
    reconciled rather than corrected."""

    institution = models.ForeignKey(
        "accounts.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    establishments_visited = models.PositiveIntegerField(_("establishments visited"), default=0)
    establishments_with_minors = models.PositiveIntegerField(
        _("establishments where minors were found"), null=True, blank=True
    )
    establishments_without_minors = models.PositiveIntegerField(
        _("establishments without minors"), null=True, blank=True
    )
    minors_total = models.PositiveIntegerField(_("minors (stated total)"))
    minors_confirmed = models.PositiveIntegerField(_("minors confirmed"), null=True, blank=True)
    minors_suspected = models.PositiveIntegerField(
        _("persons who appeared to be minors"), null=True, blank=True
    )
    by_nationality = models.JSONField(_("minors by nationality"), default=dict)
    by_department = models.JSONField(_("minors by department"), default=dict)
    counted_within = models.JSONField(
        _("places possibly counted within another"),
        default=dict,
        blank=True,
        help_text=_("Department code to the department whose figure may include it"),
    )

    class Meta:
        ordering = ["-period_end", "-id"]
        verbose_name = _("survey report")
        verbose_name_plural = _("survey reports")

    def __str__(self) -> str:
        return self.title
