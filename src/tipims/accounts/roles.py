"""The roles of DESIGN.md. A user holds one or more of them within one institution."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    INVESTIGATOR = "investigator", _("Investigator")
    BORDER_OFFICER = "border_officer", _("Border officer")
    CASEWORKER = "caseworker", _("Caseworker")
    MONITOR = "monitor", _("Monitor")
    INTEGRITY_OFFICER = "integrity_officer", _("Integrity officer")
    ANALYST = "analyst", _("Analyst")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Administrator")
