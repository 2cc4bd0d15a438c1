"""The annual report's own data: the narratives the coordinator keeps, the population figures behind
SDG 16.2.2, and the record of each build (its progress while it runs, its file when it is done)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

NATIONAL = "national"


class PopulationFigure(models.Model):
    """A population count for a year and an area (the country, or a department by its INE code),
    optionally for one sex and one age group; the denominator of victims per 100,000 population."""

    year = models.PositiveSmallIntegerField(_("year"))
    area = models.CharField(
        _("area"), max_length=10, default=NATIONAL, help_text=_("'national' or a department code (1 to 22).")
    )
    sex = models.CharField(_("sex / gender"), max_length=30, blank=True)
    age_group = models.CharField(_("age group"), max_length=8, blank=True)
    value = models.PositiveBigIntegerField(_("population"))
    source = models.CharField(_("source"), max_length=300)
    illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Demonstration figure, not an official statistic.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-year", "area", "sex", "age_group"]
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "area", "sex", "age_group"], name="population_unique_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.area} {self.sex} {self.age_group}: {self.value}"


class ReportNarrative(models.Model):
    """The coordinator's text for one section of the report of one period. Regenerating the report
    keeps it: the generated draft is only a starting point."""

    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    section = models.CharField(_("section"), max_length=40)
    text = models.TextField(_("narrative"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("edited by")
    )
    edited_at = models.DateTimeField(_("edited"), auto_now=True)

    class Meta:
        verbose_name = _("report narrative")
        verbose_name_plural = _("report narratives")
        constraints = [
            models.UniqueConstraint(fields=["start", "end", "section"], name="narrative_unique_section")
        ]

    def __str__(self) -> str:
        return f"{self.section} {self.start:%Y-%m-%d}..{self.end:%Y-%m-%d}"


class BuildStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ReportFormat(models.TextChoices):
    HTML = "html", "HTML"
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"


class ReportBuild(models.Model):
    """One request for a report file, built in the background; the page polls its progress."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    format = models.CharField(_("format"), max_length=4, choices=ReportFormat.choices)
    public = models.BooleanField(_("public version"), default=True)
    language = models.CharField(_("language"), max_length=8, default="es")
    status = models.CharField(
        _("status"), max_length=8, choices=BuildStatus.choices, default=BuildStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    history = models.JSONField(_("steps"), default=list, blank=True)  # [percent, step] as they happened
    # The file itself: a year's report is a few hundred kilobytes, so the database keeps it and no
    # file on disk can be left behind half-written.
    content = models.BinaryField(_("file"), null=True, blank=True)
    # The report as an HTML fragment (shown in the app whatever the file format) and its tables,
    # each downloadable as CSV.
    article = models.TextField(_("report"), blank=True)
    tables = models.JSONField(_("tables"), default=dict, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report build")
        verbose_name_plural = _("report builds")
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="build_progress_at_most_100")
        ]

    def __str__(self) -> str:
        return self.filename

    @property
    def filename(self) -> str:
        kind = "public" if self.public else "internal"
        return f"tipims-report-{self.start:%Y%m%d}-{self.end:%Y%m%d}-{kind}.{self.format}"
