from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BorderConfig(AppConfig):
    name = "tipims.border"
    label = "border"
    verbose_name = _("Border")

    def ready(self) -> None:
        from tipims.border import access, indicators, statistics
        from tipims.core import stats_registry

        access.register()
        indicators.load_rules()  # validated at start-up, like the vocabularies
        stats_registry.register("border", statistics.border_statistics)
