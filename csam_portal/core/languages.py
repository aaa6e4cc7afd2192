"""The portal's four languages, as a model field's choices (settings.LANGUAGES names the same)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    FR = "fr", _("Français")
    NL = "nl", _("Nederlands")
    DE = "de", _("Deutsch")
    EN = "en", _("English")
