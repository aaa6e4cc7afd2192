from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Entreprises")
    # The «Back office» group's (csam_portal.core.backoffice): the register is read, the
    # catalogue edited.
    backoffice_permissions = [
        "view_enterprise",
        "view_legalfunction",
        "view_registryextract",
        "view_registrycode",
        *[
            f"{verb}_{model}"
            for model in ("domain", "quality", "securedapplication")
            for verb in ("view", "add", "change", "delete")
        ],
    ]
