"""The digital keys a person logs in with (the login page's keys, «Mes clés numériques»)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    EID = "eid", _("IDENTIFICATION avec un lecteur de cartes eID")
    ITSME = "itsme", "itsme"
    EMAIL_CODE = "email_code", _("IDENTIFICATION avec un code de sécurité envoyé par e-mail")
    TOTP = "totp", _("IDENTIFICATION avec un code de sécurité via une application mobile")
    EIDAS = (
        "eidas",
        _("IDENTIFICATION avec une identification électronique reconnue au plan européen"),
    )
    PASSWORD = "password", _("IDENTIFICATION avec un nom d'utilisateur + mot de passe")


# Keys that prove who the person is by a card: only they may activate the other keys (seed 003).
CARD_METHODS = {Method.EID, Method.ITSME}
