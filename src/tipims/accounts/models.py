from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from tipims.accounts.roles import Role
from tipims.core import vocabularies


class Institution(models.Model):
    """An organisation that records data in TIPIMS and owns what it records."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40)
    org_type = models.CharField(
        _("organisation type"), max_length=40, choices=vocabularies.model_choices("org_Type")
    )
    country = models.CharField(_("country"), max_length=2, default="GT")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return self.short_name or self.name


class User(AbstractUser):
    """A person who signs in. Every user belongs to exactly one institution (administrators too)."""

    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
        verbose_name=_("institution"),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Membership(models.Model):
    """One role held by one user in the user's institution."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        ordering = ["user_id", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="membership_one_role_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"
