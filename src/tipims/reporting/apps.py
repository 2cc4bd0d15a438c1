from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "tipims.reporting"
    label = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from tipims.reporting import content

        content.validate_data()  # the TVPA criteria and figure definitions, checked at start-up
