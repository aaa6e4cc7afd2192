from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessManagersConfig(AppConfig):
    name = "access_managers"
    verbose_name = _("Gestionnaires d'Accès")
    # The «Back office» group's (csam_portal.core.backoffice).
    backoffice_permissions = [
        "view_registration",
        "view_accessmanager",
        "view_exceptionalrequest",
        "change_exceptionalrequest",  # receive, approve, reject (admin actions)
    ]

    def ready(self):
        from access_managers import receivers  # noqa: F401 (connects them)
