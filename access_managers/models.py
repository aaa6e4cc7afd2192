"""Enterprises registered in CSAM and their access managers: the GAP, co-GAPs and their history.

A row of `AccessManager` is one person's term in one role: it starts when they are designated and
ends (`ended_at`) when they are replaced or removed; ended rows are the history. The database
holds the rules that races could break: one registration per enterprise, one current GAP per
enterprise, one current term per person and role.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from users.models import Person


class Procedure(models.TextChoices):
    STANDARD = "standard", _("procédure standard")
    EXCEPTIONAL = "exceptional", _("procédure exceptionnelle")
    BACK_OFFICE = "back_office", _("back office")


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
    registered_by = models.ForeignKey(
        Person,
        verbose_name=_("enregistrée par"),
        to_field="niss",
        db_column="registered_by_niss",
        on_delete=models.PROTECT,
        related_name="+",
    )
    procedure = models.CharField(_("procédure"), max_length=12, choices=Procedure)

    class Meta:
        verbose_name = _("enregistrement dans CSAM")
        verbose_name_plural = _("enregistrements dans CSAM")
        ordering = ["-registered_at"]

    def __str__(self) -> str:
        return str(self.enterprise_id)


class AccessManager(models.Model):
    """One person's term as GAP or co-GAP of an enterprise."""

    class Role(models.TextChoices):
        GAP = "GAP", _("Gestionnaire d'Accès Principal")
        CO_GAP = "COGAP", _("Co-Gestionnaire d'Accès Principal")

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("entreprise"),
        on_delete=models.PROTECT,
        related_name="access_managers",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("personne"),
        to_field="niss",
        db_column="niss",
        on_delete=models.PROTECT,
        related_name="access_manager_terms",
    )
    role = models.CharField(_("rôle"), max_length=5, choices=Role)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    started_at = models.DateTimeField(_("depuis le"), default=timezone.now)
    ended_at = models.DateTimeField(_("jusqu'au"), null=True, blank=True)
    designated_by = models.ForeignKey(
        Person,
        verbose_name=_("désigné par"),
        to_field="niss",
        db_column="designated_by_niss",
        on_delete=models.PROTECT,
        related_name="+",
    )
    procedure = models.CharField(_("procédure"), max_length=12, choices=Procedure)
    # The requester's contact data when they designate someone else (flows.md §1, screen 2).
    requester_email = models.EmailField(_("e-mail du demandeur"), blank=True)
    requester_phone = models.CharField(_("téléphone du demandeur"), max_length=20, blank=True)
    # The designation request this term answers: a second «Confirmer» of the same request finds
    # it instead of designating twice.
    request_token = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("gestionnaire d'accès")
        verbose_name_plural = _("gestionnaires d'accès")
        ordering = ["enterprise", "role", "-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(role="GAP", ended_at=None),
                name="accessmanager_one_current_gap",
                violation_error_message=_(
                    "Cette entreprise a déjà un Gestionnaire d'Accès Principal."
                ),
            ),
            models.UniqueConstraint(
                fields=["enterprise", "person", "role"],
                condition=Q(ended_at=None),
                name="accessmanager_one_current_term",
                violation_error_message=_("Cette personne a déjà ce rôle dans cette entreprise."),
            ),
            models.UniqueConstraint(
                fields=["request_token"],
                condition=~Q(request_token=""),
                name="accessmanager_request_token_unique",
            ),
            models.CheckConstraint(
                condition=Q(ended_at=None) | Q(ended_at__gte=models.F("started_at")),
                name="accessmanager_ends_after_start",
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
        return f"{self.get_role_display()} {self.person_id} ({self.enterprise_id})"

    @property
    def is_current(self) -> bool:
        return self.ended_at is None


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
    requester = models.ForeignKey(
        Person,
        verbose_name=_("demandeur"),
        to_field="niss",
        db_column="requester_niss",
        on_delete=models.PROTECT,
        related_name="+",
    )
    requester_email = models.EmailField(_("e-mail du demandeur"))
    requester_phone = models.CharField(_("téléphone du demandeur"), max_length=20)
    gap = models.ForeignKey(
        Person,
        verbose_name=_("Gestionnaire d'Accès Principal"),
        to_field="niss",
        db_column="gap_niss",
        on_delete=models.PROTECT,
        related_name="+",
    )
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
