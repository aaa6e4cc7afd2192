from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "users"
    verbose_name = _("Personnes et comptes")
    # The «Back office» group's (csam_portal.core.backoffice): staff lift account locks.
    backoffice_permissions = ["view_person", "view_user", "view_accountlock", "change_accountlock"]
