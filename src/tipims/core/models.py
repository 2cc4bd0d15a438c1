"""Geography of Guatemala: the 22 departments and their municipalities with official (INE) codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    code = models.PositiveSmallIntegerField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=80, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    code = models.PositiveSmallIntegerField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=80)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("department")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "name"], name="municipality_unique_name_in_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.department.name})"
