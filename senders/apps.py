from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SendersConfig(AppConfig):
    name = "senders"
    verbose_name = _("Expéditeurs")
