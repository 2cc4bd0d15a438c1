from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JusticeConfig(AppConfig):
    name = "tipims.justice"
    label = "justice"
    verbose_name = _("Justice and integrity")

    def ready(self) -> None:
        from tipims.core import stats_registry
        from tipims.justice import access, data, statistics

        data.validate()  # a broken data file must stop start-up, not surface as a wrong sentence range
        access.register()
        stats_registry.register("justice", statistics.justice_statistics)
        # A child is never handed over to a family member who is a defendant (protection's returns).
        from tipims.justice.selectors import is_defendant_anywhere
        from tipims.protection import suspects

        suspects.register_checker(is_defendant_anywhere)
