"""A GAP designation asked on paper (flows.md §2)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from users.models import person_key


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
