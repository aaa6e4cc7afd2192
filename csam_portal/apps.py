from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CsamPortalConfig(AppConfig):
    name = "csam_portal"
    verbose_name = _("Portail CSAM")
    # The back office's «Back office» group (csam_portal.core.backoffice): the outbox, the audit
    # log, the contact page's questions.
    backoffice_permissions = [
        "view_outboundemail",
        "change_outboundemail",
        "view_auditrecord",
        "view_contactmessage",
        "change_contactmessage",
    ]

    def ready(self) -> None:
        from django.contrib import admin

        from csam_portal.core import backoffice, converters, middleware
        from csam_portal.core import checks as portal_checks
        from csam_portal.core.admin import check_every_admin

        converters.register()  # before any URLconf is read: they name these shapes
        check_every_admin(admin.site)  # all registered: the admin app, first, discovered them
        # After every migrate, whatever app migrated: the group follows the models it names.
        post_migrate.connect(backoffice.sync_group, dispatch_uid="csam_portal.backoffice")
        user_logged_in.connect(middleware.session_start, dispatch_uid="csam_portal.session_start")
        checks.register(portal_checks.simulated_keys, checks.Tags.security, deploy=True)
