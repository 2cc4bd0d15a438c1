from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "tipims.linkage"
    label = "linkage"
    verbose_name = _("Linkage")

    def ready(self) -> None:
        from tipims.core import stats_registry
        from tipims.linkage import statistics

        stats_registry.register("linkage", statistics.linkage_statistics)
