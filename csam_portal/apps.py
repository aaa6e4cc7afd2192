from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CsamPortalConfig(AppConfig):
    name = "csam_portal"
    verbose_name = _("Portail CSAM")

    def ready(self) -> None:
        from django.contrib import admin

        from csam_portal import backoffice, converters
        from csam_portal.admin import check_every_admin

        converters.register()  # before any URLconf is read: they name these shapes
        check_every_admin(admin.site)  # all registered: the admin app, first, discovered them
        # After every migrate, whatever app migrated: the group follows the models it names.
        post_migrate.connect(backoffice.sync_group, dispatch_uid="csam_portal.backoffice")
