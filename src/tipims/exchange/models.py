"""What exchange keeps of its own: which record came from which partner's identifier, and the
privacy-preserving encodings partners send (never names)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExternalKey(models.Model):
    """A partner's identifier for a record imported into TIPIMS (an HTCDS prs_ID, a Kobo _uuid).

    Exports give the record the identifier it came with, so an export of imported data reads back the
    same; a second import of the same row is recognised and refused instead of duplicating the record.
    """

    institution = models.ForeignKey(
        "accounts.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    namespace = models.CharField(_("standard and table"), max_length=40)  # "htcds.persons", "kobo.visits"
    external_id = models.CharField(_("partner's identifier"), max_length=200)
    object_type = models.CharField(max_length=60)  # app_label.model
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "namespace", "external_id"], name="external_key_once_per_institution"
            )
        ]
        indexes = [models.Index(fields=["object_type", "object_id"], name="external_key_object")]

    def __str__(self) -> str:
        return f"{self.namespace}:{self.external_id}"


class PartnerEncodingSet(models.Model):
    """One file of Bloom-filter encodings received from a partner country: no name, no date."""

    institution = models.ForeignKey(
        "accounts.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    partner = models.CharField(_("partner"), max_length=120)
    partner_country = models.CharField(_("partner country"), max_length=2)
    scheme = models.CharField(_("encoding scheme"), max_length=60)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.partner} {self.created_at:%Y-%m-%d}"


class PartnerEncoding(models.Model):
    encoding_set = models.ForeignKey(PartnerEncodingSet, on_delete=models.CASCADE, related_name="encodings")
    token = models.CharField(_("partner's opaque token"), max_length=80)
    bloom = models.BinaryField(_("Bloom filter"))

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["encoding_set", "token"], name="partner_token_once")]

    def __str__(self) -> str:
        return self.token
