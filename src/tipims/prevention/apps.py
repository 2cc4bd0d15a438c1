from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreventionConfig(AppConfig):
    name = "tipims.prevention"
    label = "prevention"
    verbose_name = _("Prevention")

    def ready(self) -> None:
        from tipims.core import stats_registry
        from tipims.prevention import access, statistics

        access.register()
        stats_registry.register("prevention", statistics.prevention_statistics)
