from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    name = "tipims.protection"
    label = "protection"
    verbose_name = _("Victim protection")

    def ready(self) -> None:
        from tipims.core import stats_registry
        from tipims.protection import access, non_punishment, statistics

        access.register()
        non_punishment.register_default_finders()
        stats_registry.register("protection", statistics.protection_figures)
