"""An enterprise registered in CSAM, and by which procedure."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from users.models import person_key


class Procedure(models.TextChoices):
    STANDARD = "standard", _("procédure standard")
    EXCEPTIONAL = "exceptional", _("procédure exceptionnelle")


class Registration(models.Model):
    """An enterprise registered in CSAM: from then on it has a GAP."""

    enterprise = models.OneToOneField(
        Enterprise,
        verbose_name=_("entreprise"),
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="registration",
    )
    registered_at = models.DateTimeField(_("enregistrée le"), default=timezone.now)
    registered_by = person_key(_("enregistrée par"), db_column="registered_by_niss")
    procedure = models.CharField(_("procédure"), max_length=12, choices=Procedure)

    class Meta:
        verbose_name = _("enregistrement dans CSAM")
        verbose_name_plural = _("enregistrements dans CSAM")
        ordering = ["-registered_at"]

    def __str__(self) -> str:
        return str(self.enterprise_id)
