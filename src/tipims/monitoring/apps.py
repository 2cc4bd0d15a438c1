from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "tipims.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from tipims.core import stats_registry
        from tipims.monitoring import access, statistics

        access.register()
        stats_registry.register("monitoring", statistics.monitoring_statistics)
