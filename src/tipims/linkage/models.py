"""Linkage as a graph of judgements (never overwritten) and the persons resolved from it.

A MatchJudgement says of two person records: the same person, not the same, or unsure. The machine
suggests (with its score and explanation); a human decides. Judgements are only ever added: the
newest human judgement of a pair supersedes every machine suggestion and older human ones, and a
human "not the same" keeps two records apart whatever the machine says. ResolvedPerson groups are
recomputed from the graph, so a wrong cluster is split by judging its records not the same.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Decision(models.TextChoices):
    SAME = "same", _("same person")
    NOT_SAME = "not_same", _("not the same person")
    UNSURE = "unsure", _("unsure")


class Source(models.TextChoices):
    MACHINE = "machine", _("machine suggestion")
    HUMAN = "human", _("human decision")


class ResolvedPerson(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("resolved person")
        verbose_name_plural = _("resolved persons")

    def __str__(self) -> str:
        return f"R-{self.pk}"


class PersonResolution(models.Model):
    """Which resolved person a person record currently belongs to (derived from the judgements)."""

    record = models.OneToOneField("people.PersonRecord", on_delete=models.CASCADE, related_name="resolution")
    person = models.ForeignKey(ResolvedPerson, on_delete=models.CASCADE, related_name="records")

    class Meta:
        verbose_name = _("person resolution")

    def __str__(self) -> str:
        return f"{self.record_id} -> {self.person_id}"


class MatchJudgement(models.Model):
    record_a = models.ForeignKey("people.PersonRecord", on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey("people.PersonRecord", on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    score = models.FloatField(_("match probability"), null=True, blank=True)
    explanation = models.JSONField(_("explanation"), default=list, blank=True)
    model_version = models.CharField(_("model version"), max_length=40, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("match judgement")
        verbose_name_plural = _("match judgements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(record_a__lt=models.F("record_b")), name="judgement_pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["record_a", "record_b"], name="judgement_pair")]

    def __str__(self) -> str:
        return f"{self.record_a_id}~{self.record_b_id}: {self.decision} ({self.source})"


class TrainedModel(models.Model):
    """A linkage model as trained on the whole register: new records are linked against the existing
    ones with it (incremental linking), until the next full run or a new model version."""

    version = models.CharField(_("model version"), max_length=40)
    settings = models.JSONField(_("settings"))
    records = models.PositiveIntegerField(_("records it was trained on"))
    created_at = models.DateTimeField(_("trained"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("trained linkage model")
        verbose_name_plural = _("trained linkage models")

    def __str__(self) -> str:
        return f"{self.version} ({self.created_at:%Y-%m-%d})"
