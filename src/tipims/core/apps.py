from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tipims.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Vocabularies are data files: a broken one must stop start-up, not surface as a wrong label.
        from tipims.core import vocabularies

        vocabularies.validate_all()
