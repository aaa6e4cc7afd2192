"""An enterprise's qualités in the social security, and their users."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access_managers.models.terms import Term
from csam_portal.core.languages import Language
from enterprises.models import Enterprise, Quality, SecuredApplication
from users.models import User, person_key


class EnterpriseQuality(models.Model):
    """A qualité the enterprise holds in the social security (e.g. «Employeur ONSS» with its
    matricule): its local managers and users are managed under it."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("entreprise"),
        on_delete=models.PROTECT,
        related_name="qualities",
    )
    quality = models.ForeignKey(
        Quality, verbose_name=_("qualité"), on_delete=models.PROTECT, related_name="+"
    )
    identifier = models.CharField(_("identifiant"), max_length=100)
    registered_at = models.DateTimeField(_("enregistrée le"), default=timezone.now)
    registered_by = person_key(_("enregistrée par"), db_column="registered_by_niss")
    # «Consulter ou modifier le détail de la qualité»: where the social security writes or calls
    # about this qualité, and in which language; kept by its managers (services.qualities).
    contact_email = models.EmailField(_("adresse e-mail de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone de contact"), max_length=20, blank=True)
    contact_language = models.CharField(
        _("langue de contact"), max_length=2, choices=Language, blank=True
    )
    # How many current memberships it has, by status: «N utilisateurs trouvés.» without counting
    # 100,000 rows. On PostgreSQL a trigger keeps them, whatever writes the memberships
    # (migration 0009; `membership_counts_recount` after a bulk load that bypasses it);
    # elsewhere they are not kept and «Utilisateurs» counts.
    active_users = models.PositiveIntegerField(_("utilisateurs actifs"), default=0, editable=False)
    blocked_users = models.PositiveIntegerField(
        _("utilisateurs bloqués"), default=0, editable=False
    )

    class Meta:
        verbose_name = _("qualité de l'entreprise")
        verbose_name_plural = _("qualités de l'entreprise")
        ordering = ["enterprise", "quality", "identifier"]
        constraints = [
            models.UniqueConstraint(
                fields=["quality", "identifier"],
                name="enterprisequality_one_per_identifier",
                violation_error_message=_(
                    "Cette qualité est déjà enregistrée avec cet identifiant."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quality} {self.identifier} ({self.enterprise_id})"


class QualityMembership(Term):
    """One person's term as a user of one qualité of an enterprise; a blocked user has no rights
    from it (access.md: USER(E,Q) is an active user)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("actif")
        BLOCKED = "blocked", _("bloqué")

    quality = models.ForeignKey(
        EnterpriseQuality,
        verbose_name=_("qualité"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    status = models.CharField(_("statut"), max_length=7, choices=Status, default=Status.ACTIVE)
    # The person's names as the national register gives them, copied here so that a qualité's
    # «Utilisateurs» is filtered, sorted and paged by name on this table's indexes alone (a
    # qualité may have 100,000 users among millions of memberships); kept in step by
    # `services.membership_names.names_refresh` when the register changes a name.
    last_name = models.CharField(_("nom"), max_length=100, default="", editable=False)
    first_name = models.CharField(_("prénom"), max_length=100, default="", editable=False)
    # The username of the person's account ("" without one), copied for the same reason: the
    # column's order and filter on an index of this table; kept in step by `save()` and by
    # access_managers.receivers when an account is created, given a username or deleted.
    username = models.CharField(_("nom d'utilisateur"), max_length=150, default="", editable=False)
    email = models.EmailField(_("adresse e-mail utilisateur"), blank=True)
    # For the person's own contacts with the Eranova contact centre (flows.md §3).
    local_email = models.EmailField(_("adresse e-mail locale"), blank=True)
    # The «Ajouter un utilisateur» request that made it: a second «Confirmer» of the same
    # request finds it instead of creating twice.
    request_token = models.CharField(max_length=64, blank=True, editable=False)
    applications = models.ManyToManyField(
        SecuredApplication,
        verbose_name=_("applications sécurisées"),
        through="MembershipApplication",
        related_name="+",
    )

    class Meta(Term.Meta):
        verbose_name = _("utilisateur d'une qualité")
        verbose_name_plural = _("utilisateurs d'une qualité")
        ordering = ["quality", "person"]
        constraints = [
            *Term.Meta.constraints,
            models.UniqueConstraint(
                fields=["quality", "person"],
                condition=Q(ended_at=None),
                name="qualitymembership_one_current_term",
                violation_error_message=_("Cette personne est déjà utilisateur de cette qualité."),
            ),
            models.UniqueConstraint(
                fields=["request_token"],
                condition=~Q(request_token=""),
                name="qualitymembership_request_token_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["person"], condition=Q(ended_at=None), name="qualitymembership_current"
            ),
            # «Utilisateurs»' orders and filters, a page at a time, for one qualité. The names are
            # included too: a page's ids are then read from the index alone (an index of
            # expressions does not give back the columns they are made of).
            models.Index(
                "quality",
                Upper("last_name"),
                Upper("first_name"),
                "id",
                condition=Q(ended_at=None),
                include=["last_name", "first_name"],
                name="qualitymembership_by_name",
            ),
            models.Index(
                "quality",
                Upper("first_name"),
                Upper("last_name"),
                "id",
                condition=Q(ended_at=None),
                include=["last_name", "first_name"],
                name="qualitymembership_by_first",
            ),
            models.Index(
                "quality",
                Upper("username"),
                "id",
                condition=Q(ended_at=None),
                include=["username"],
                name="qualitymembership_by_username",
            ),
            models.Index(
                "quality",
                "status",
                Upper("last_name"),
                Upper("first_name"),
                "id",
                condition=Q(ended_at=None),
                include=["last_name", "first_name"],
                name="qualitymembership_by_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ({self.quality_id})"

    def save(self, *args, **kwargs) -> None:
        # The sort keys of a new membership (bulk_create does not come here: its callers give
        # them, as the bulk generator does).
        if self._state.adding and not self.last_name:
            self.last_name, self.first_name = self.person.last_name, self.person.first_name
        if self._state.adding and not self.username:
            account = User.objects.filter(person_id=self.person_id)
            self.username = account.values_list("username", flat=True).first() or ""
        super().save(*args, **kwargs)


class MembershipApplication(models.Model):
    """A secured application a user of a qualité may use, since when and granted by whom
    («Mes applications»)."""

    membership = models.ForeignKey(
        QualityMembership, on_delete=models.CASCADE, related_name="granted_applications"
    )
    application = models.ForeignKey(
        SecuredApplication,
        verbose_name=_("application sécurisée"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("depuis le"), default=timezone.now)
    granted_by = person_key(_("accordée par"), db_column="granted_by_niss")

    class Meta:
        verbose_name = _("application d'un utilisateur")
        verbose_name_plural = _("applications des utilisateurs")
        ordering = ["membership", "application"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "application"], name="membershipapplication_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id}: {self.application_id}"
