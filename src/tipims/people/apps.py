from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "tipims.people"
    label = "people"
    verbose_name = _("Person records")

    def ready(self) -> None:
        from tipims.people import access

        access.register()
