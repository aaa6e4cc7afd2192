"""The designations: GAP, co-GAP, GA per domain, GL and co-GL per qualité; a GA's addresses."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from access_managers.models.qualities import EnterpriseQuality
from access_managers.models.registrations import Procedure
from access_managers.models.terms import Term
from enterprises.models import Domain, Enterprise
from users.roles import DESIGNATED, Role


class AccessManager(Term):
    """One person's term as a manager of an enterprise: GAP or co-GAP of the whole enterprise, GA of
    one `domain`, GL or co-GL of one `quality`."""

    ROLES = [(role.value, role.label) for role in DESIGNATED]
    Role = Role

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("entreprise"),
        on_delete=models.PROTECT,
        related_name="access_managers",
    )
    role = models.CharField(_("rôle"), max_length=5, choices=ROLES)
    domain = models.ForeignKey(
        Domain,
        verbose_name=_("domaine"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    quality = models.ForeignKey(
        EnterpriseQuality,
        verbose_name=_("qualité"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managers",
    )
    # The GAP's and co-GAPs' contact address; a GA's are its `emails` (none to several).
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    procedure = models.CharField(_("procédure"), max_length=12, choices=Procedure)
    # The requester's contact data when they designate someone else (flows.md §1, screen 2).
    requester_email = models.EmailField(_("e-mail du demandeur"), blank=True)
    requester_phone = models.CharField(_("téléphone du demandeur"), max_length=20, blank=True)
    # The designation request this term answers: a second «Confirmer» of the same request finds
    # it instead of designating twice.
    request_token = models.CharField(max_length=64, blank=True, editable=False)

    class Meta(Term.Meta):
        verbose_name = _("gestionnaire d'accès")
        verbose_name_plural = _("gestionnaires d'accès")
        ordering = ["enterprise", "role", "-started_at"]
        constraints = [
            *Term.Meta.constraints,
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(role=Role.GAP, ended_at=None),
                name="accessmanager_one_current_gap",
                violation_error_message=_(
                    "Cette entreprise a déjà un Gestionnaire d'Accès Principal."
                ),
            ),
            models.UniqueConstraint(
                fields=["enterprise", "person", "role"],
                condition=Q(ended_at=None, role__in=[Role.GAP, Role.CO_GAP]),
                name="accessmanager_one_current_term",
                violation_error_message=_("Cette personne a déjà ce rôle dans cette entreprise."),
            ),
            models.UniqueConstraint(
                fields=["enterprise", "domain", "person"],
                condition=Q(ended_at=None, role=Role.GA),
                name="accessmanager_one_current_ga_term",
                violation_error_message=_(
                    "Cette personne est déjà Gestionnaire d'Accès de ce domaine."
                ),
            ),
            models.UniqueConstraint(
                fields=["quality"],
                condition=Q(ended_at=None, role=Role.GL),
                name="accessmanager_one_current_gl",
                violation_error_message=_("Cette qualité a déjà un Gestionnaire Local."),
            ),
            models.UniqueConstraint(
                fields=["quality", "person"],
                condition=Q(ended_at=None, role__in=[Role.GL, Role.CO_GL]),
                name="accessmanager_one_current_local_term",
                violation_error_message=_(
                    "Cette personne est déjà Gestionnaire Local ou Co-Gestionnaire Local de cette "
                    "qualité."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(role__in=[Role.GAP, Role.CO_GAP], domain=None, quality=None)
                    | Q(role=Role.GA, domain__isnull=False, quality=None)
                    | Q(role__in=[Role.GL, Role.CO_GL], domain=None, quality__isnull=False)
                ),
                name="accessmanager_role_has_its_place",
            ),
            models.UniqueConstraint(
                fields=["request_token"],
                condition=~Q(request_token=""),
                name="accessmanager_request_token_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["person", "enterprise"],
                condition=Q(ended_at=None),
                name="accessmanager_current_person",
            ),
        ]

    def __str__(self) -> str:
        place = self.domain_id or self.quality_id or self.enterprise_id
        return f"{self.get_role_display()} {self.person_id} ({place})"


class ManagerEmail(models.Model):
    """An e-mail address of a GA for their domain, shown in «Qui gère nos accès ?»: a GA has none
    to several («Ajouter une adresse e-mail»)."""

    term = models.ForeignKey(
        AccessManager,
        verbose_name=_("gestionnaire d'accès"),
        on_delete=models.CASCADE,
        related_name="emails",
    )
    email = models.EmailField(_("adresse e-mail"))

    class Meta:
        verbose_name = _("adresse e-mail d'un gestionnaire d'accès")
        verbose_name_plural = _("adresses e-mail des gestionnaires d'accès")
        ordering = ["term", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "email"],
                name="manageremail_once_per_term",
                violation_error_message=_("Cette adresse e-mail est déjà enregistrée."),
            ),
        ]

    def __str__(self) -> str:
        return self.email
