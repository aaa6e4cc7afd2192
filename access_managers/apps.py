from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessManagersConfig(AppConfig):
    name = "access_managers"
    verbose_name = _("Gestionnaires d'Accès")

    def ready(self):
        from access_managers import receivers  # noqa: F401 (connects them)
