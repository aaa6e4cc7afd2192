"""Enterprises registered in CSAM, their qualités, and who manages and uses them.

Every designation is a term of `AccessManager`, one shape for all of them: a GAP or co-GAP of the
enterprise, a GA of one domain, a GL or co-GL of one of its qualités. A term starts when the
person is designated (by `designated_by`) and ends (`ended_at`) when they are replaced or removed;
ended rows are the history, so «who manages us», the history and the audit read alike. A user of a
qualité holds a `QualityMembership`, a term of the same shape.

The database holds the rules that races could break: one registration per enterprise, one current
GAP per enterprise, one current GL per qualité, one current term per person and place (a person
is not GL and co-GL of one qualité, nor GA of one domain twice).

These tables live here, above `users` and `enterprises`, because access managers create them; the
apps above (senders, mandates) read them through `access_managers.roles`.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Domain, Enterprise, Quality
from users.models import person_key
from users.roles import DESIGNATED, Role


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


class Term(models.Model):
    """A person's term: from `started_at` until `ended_at` (None while it lasts), made by
    `designated_by`. Ended terms stay: they are the history. Every designation and every
    membership of a qualité has this one shape."""

    person = person_key(_("personne"), db_column="niss", related_name="%(class)s_terms")
    started_at = models.DateTimeField(_("depuis le"), default=timezone.now)
    ended_at = models.DateTimeField(_("jusqu'au"), null=True, blank=True)
    designated_by = person_key(_("désigné par"), db_column="designated_by_niss")

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at=None) | Q(ended_at__gte=models.F("started_at")),
                name="%(class)s_ends_after_start",
            ),
        ]

    @property
    def is_current(self) -> bool:
        return self.ended_at is None


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
    email = models.EmailField(_("e-mail"))
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
        ]
        indexes = [
            models.Index(
                fields=["person"], condition=Q(ended_at=None), name="qualitymembership_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ({self.quality_id})"


class ExceptionalRequest(models.Model):
    """A GAP designation asked without a digital key (flows.md §2): it waits for the paper signed
    by the legal representative, then the back office approves or rejects it."""

    class Status(models.TextChoices):
        OPEN = "open", _("en attente du document signé")
        RECEIVED = "received", _("document signé reçu")
        APPROVED = "approved", _("approuvée")
        REJECTED = "rejected", _("rejetée")
        EXPIRED = "expired", _("expirée")

    PENDING = [Status.OPEN, Status.RECEIVED]

    ticket = models.CharField(_("numéro de ticket"), max_length=13, unique=True)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("entreprise"),
        on_delete=models.PROTECT,
        related_name="exceptional_requests",
    )
    requester = person_key(_("demandeur"), db_column="requester_niss")
    requester_email = models.EmailField(_("e-mail du demandeur"))
    requester_phone = models.CharField(_("téléphone du demandeur"), max_length=20)
    gap = person_key(_("Gestionnaire d'Accès Principal"), db_column="gap_niss")
    gap_email = models.EmailField(_("e-mail du GAP"))
    gap_phone = models.CharField(_("téléphone du GAP"), max_length=20)
    # The GAP the requester saw (None: not registered): approving checks it is still the one.
    seen_gap = models.CharField(max_length=11, blank=True, editable=False)
    # The wizard's request: a second «Confirmer» finds this request instead of making another.
    request_token = models.CharField(max_length=64, blank=True, editable=False)
    language = models.CharField(_("langue"), max_length=2)
    status = models.CharField(_("statut"), max_length=10, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    received_at = models.DateTimeField(_("document reçu le"), null=True, blank=True)
    scan = models.FileField(_("document reçu (scan)"), upload_to="exceptional/", blank=True)
    decided_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "users.User",
        verbose_name=_("traitée par"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rejection_reason = models.TextField(_("motif du rejet"), blank=True)

    class Meta:
        verbose_name = _("demande exceptionnelle")
        verbose_name_plural = _("demandes exceptionnelles")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["request_token"],
                condition=~Q(request_token=""),
                name="exceptionalrequest_request_token_unique",
            ),
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(status__in=["open", "received"]),
                name="exceptionalrequest_one_pending_per_enterprise",
                violation_error_message=_(
                    "Une demande exceptionnelle est déjà en cours pour cette entreprise."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.ticket

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING

    @property
    def expires_at(self) -> datetime:
        """When the request expires if its signed document has not arrived by then."""
        return self.created_at + timedelta(days=settings.EXCEPTIONAL_REQUEST_EXPIRY_DAYS)

    @property
    def document_resendable(self) -> bool:
        """«Recevoir à nouveau le document»: for a request still waiting for its signed paper,
        until it expires (the hourly task marks it expired a little later)."""
        return self.status == self.Status.OPEN and timezone.now() < self.expires_at

    @property
    def document_link_opens(self) -> bool:
        """The signed link works while the request is pending: while its document can be sent
        again, and once received, waiting for the back office (such a request does not expire)."""
        return self.status == self.Status.RECEIVED or self.document_resendable
