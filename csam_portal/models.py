import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from csam_portal.core.languages import Language


class OutboundEmail(models.Model):
    """An e-mail of the outbox: written in the transaction of the change it tells about.

    The database row is the source of truth (Redis keeps nothing on disk): a Celery task sends
    it after commit, and the periodic relay sends whatever a lost task left pending.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        SENDING = "sending", _("En cours d'envoi")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Échec")

    key = models.UUIDField(
        _("clé d'idempotence"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Identifie le message (en-tête Message-ID) : il n'est envoyé qu'une fois."),
    )
    template = models.CharField(_("modèle"), max_length=100)
    recipient = models.EmailField(_("destinataire"))
    language = models.CharField(_("langue"), max_length=2, choices=Language)
    subject = models.CharField(_("objet"), max_length=255)
    body_text = models.TextField(_("texte"))
    body_html = models.TextField(_("HTML"))
    sensitive = models.BooleanField(
        _("confidentiel"),
        default=False,
        help_text=_("Contient un code de sécurité : le texte est effacé une fois envoyé."),
    )
    status = models.CharField(_("statut"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created_at = models.DateTimeField(_("créé le"), db_default=Now())
    # Set and compared by the database's clock (outbox.deliver), never a server's own.
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), db_default=Now())
    claimed_at = models.DateTimeField(_("pris en charge le"), null=True, blank=True)
    relayed_at = models.DateTimeField(_("relancé le"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails (boîte d'envoi)")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient}"


class AuditRecord(models.Model):
    """One change of state: who (person and role), what, which object, before/after, when, where.

    Written by `csam_portal.core.audit.record()` in the transaction of the change; never edited.
    """

    at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor = models.CharField(_("auteur"), max_length=200)
    actor_role = models.CharField(_("rôle"), max_length=50, blank=True)
    ip = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.ForeignKey(
        ContentType,
        verbose_name=_("type d'objet"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    object_id = models.CharField(_("identifiant de l'objet"), max_length=64, blank=True)
    object_repr = models.CharField(_("objet"), max_length=200, blank=True)
    before = models.JSONField(_("avant"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("après"), null=True, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("trace d'audit")
        verbose_name_plural = _("journal d'audit")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor} {self.action} {self.object_repr}"


class ContactMessage(models.Model):
    """A question sent from the contact page to the contact centre (the back office)."""

    class Status(models.TextChoices):
        NEW = "new", _("Nouveau")
        CLOSED = "closed", _("Traité")

    name = models.CharField(_("nom"), max_length=200)
    email = models.EmailField(_("adresse e-mail"))
    enterprise_number = models.CharField(_("numéro d'entreprise"), max_length=10, blank=True)
    subject = models.CharField(_("objet"), max_length=200)
    message = models.TextField(_("message"), max_length=5000)
    language = models.CharField(_("langue"), max_length=2, choices=Language)
    ip = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status, default=Status.NEW)
    created_at = models.DateTimeField(_("reçu le"), default=timezone.now)
    closed_at = models.DateTimeField(_("traité le"), null=True, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions au centre de contact")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["ip", "created_at"], name="contact_ip_recent")]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def reference(self) -> str:
        """The number the sender quotes in every contact with the contact centre."""
        return f"Q{self.created_at:%Y}-{self.pk:06d}"


class ThrottleBucket(models.Model):
    """What one limit counts: a scope ("contact", "login-address"…) and a key in it (an address,
    an account…). `csam_portal.core.throttle` locks this row before it counts the bucket's hits."""

    scope = models.CharField(_("portée"), max_length=40)
    key = models.CharField(_("clé"), max_length=255)
    touched_at = models.DateTimeField(_("dernier passage"))

    class Meta:
        verbose_name = _("compteur")
        verbose_name_plural = _("compteurs")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="throttlebucket_scope_key")
        ]
        indexes = [models.Index(fields=["touched_at"], name="throttlebucket_touched")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


class ThrottleHit(models.Model):
    """One counted event of a bucket (a question sent, a failed login…), forgotten once older
    than every window (THROTTLE_RETENTION)."""

    # In the database: pruning a bucket deletes its hits in the same statement, with no race.
    bucket = models.ForeignKey(
        ThrottleBucket, on_delete=models.DB_CASCADE, related_name="hits", verbose_name=_("compteur")
    )
    at = models.DateTimeField(_("date"))

    class Meta:
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        indexes = [
            models.Index(fields=["bucket", "at"], name="throttlehit_bucket_at"),
            models.Index(fields=["at"], name="throttlehit_at"),
        ]

    def __str__(self) -> str:
        return f"{self.bucket_id} {self.at:%Y-%m-%d %H:%M:%S}"
