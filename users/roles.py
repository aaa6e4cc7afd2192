"""Every role of ../shared/spec/access.md, named once.

A person's roles in one enterprise are read by `access_managers.roles.roles_in` into a
`access_managers.roles.Roles`; this module only names them, so that every app (this one included,
the lowest) and the audit log spell them alike.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PERSON = "person", _("Personne connectée")
    LR = "LR", _("Représentant légal")
    GAP = "GAP", _("Gestionnaire d'Accès Principal")
    CO_GAP = "COGAP", _("Co-Gestionnaire d'Accès Principal")
    GA = "GA", _("Gestionnaire d'Accès")
    GL = "GL", _("Gestionnaire Local")
    CO_GL = "COGL", _("Co-Gestionnaire Local")
    USER = "USER", _("Utilisateur")
    STAFF = "staff", _("Back office")


# The roles a person holds by a designation: a term of `access_managers.models.AccessManager`.
DESIGNATED = (Role.GAP, Role.CO_GAP, Role.GA, Role.GL, Role.CO_GL)
