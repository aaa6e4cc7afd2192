from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.be import ssn
from stdnum.exceptions import ValidationError as StdnumError

from csam_portal.core.languages import Language


def validate_niss(value: str) -> None:
    """A national register (NRN) or BIS number, already normalised to its 11 digits."""
    try:
        valid = ssn.validate(value) == value
    except StdnumError:
        valid = False
    if not valid:
        raise ValidationError(
            _("Ce numéro de registre national n'est pas valable (11 chiffres)."),
            code="invalid_niss",
        )


class Person(models.Model):
    """A person of the national register (or of the BIS register), as the registry knows them."""

    class Gender(models.TextChoices):
        FEMALE = "F", _("Femme")
        MALE = "M", _("Homme")
        UNKNOWN = "X", _("Non précisé")

    niss = models.CharField(_("NISS"), max_length=11, validators=[validate_niss])
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    gender = models.CharField(_("genre"), max_length=1, choices=Gender, default=Gender.UNKNOWN)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    language = models.CharField(
        _("choix linguistique"), max_length=2, choices=Language, default=Language.FR
    )
    has_eid = models.BooleanField(
        _("carte eID"),
        default=False,
        help_text=_("La personne possède une carte d'identité électronique (ou pour étrangers)."),
    )

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["last_name", "first_name"]
        # A constraint, not unique=True: the same index without PostgreSQL's extra one for LIKE,
        # which the national register's bulk import would maintain for nothing.
        constraints = [models.UniqueConstraint(fields=["niss"], name="person_niss_unique")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def person_key(verbose_name, *, db_column: str, related_name: str = "+") -> models.ForeignKey:
    """A reference to a person of the national register by their NISS (the column `db_column`
    holds the NISS itself, readable in the database and in exports); a person referred to is
    never deleted."""
    return models.ForeignKey(
        Person,
        verbose_name=verbose_name,
        to_field="niss",
        db_column=db_column,
        on_delete=models.PROTECT,
        related_name=related_name,
    )


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, username=None, password=None, **fields):
        user = self.model(username=username or None, **fields)
        user.set_password(password)
        user.full_clean()
        user.save(using=self._db)
        return user

    def create_superuser(self, username, password=None, **fields):
        return self.create_user(username, password, is_staff=True, is_superuser=True, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """An account of the portal, keyed by the NISS of its national-register person.

    A person logs in with a digital key and is known by their NISS; a username (and password)
    exists only for the keys that use one and for back-office staff, who need no NISS.
    """

    person = models.OneToOneField(
        Person,
        verbose_name=_("personne"),
        to_field="niss",
        db_column="niss",
        on_delete=models.PROTECT,
        related_name="account",
        null=True,
        blank=True,
    )
    username = models.CharField(
        _("nom d'utilisateur"),
        max_length=150,
        unique=True,
        null=True,
        blank=True,
        validators=[UnicodeUsernameValidator()],
        error_messages={"unique": _("Ce nom d'utilisateur est déjà pris.")},
    )
    email = models.EmailField(_("adresse e-mail"), blank=True)
    language = models.CharField(
        _("langue préférée"), max_length=2, choices=Language, default=Language.FR
    )
    is_staff = models.BooleanField(
        _("back office"),
        default=False,
        help_text=_("Peut se connecter à l'administration du back office."),
    )
    is_active = models.BooleanField(_("actif"), default=True)
    date_joined = models.DateTimeField(_("date de création"), default=timezone.now)
    email_verified_at = models.DateTimeField(_("adresse e-mail vérifiée le"), null=True, blank=True)
    email_key_activated_at = models.DateTimeField(
        _("clé « code de sécurité par e-mail » activée le"), null=True, blank=True
    )
    totp_secret = models.CharField(_("secret de l'application mobile"), max_length=64, blank=True)
    totp_key_activated_at = models.DateTimeField(
        _("clé « application mobile » activée le"), null=True, blank=True
    )
    # The last 30-second step whose code was accepted: a code is never accepted twice.
    totp_last_step = models.BigIntegerField(null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("compte")
        verbose_name_plural = _("comptes")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(username__isnull=False),
                name="user_has_niss_or_username",
                violation_error_message=_("Un compte a un NISS ou un nom d'utilisateur."),
            ),
            # «Jan.Peeters» and «jan.peeters» would be two people for the reader: one username.
            models.UniqueConstraint(
                Upper("username"),
                name="user_username_unique_any_case",
                violation_error_message=_("Ce nom d'utilisateur est déjà pris."),
            ),
        ]

    def __str__(self) -> str:
        if self.person_id:
            return f"{self.person.full_name} ({self.person_id})"
        return self.username or ""

    @property
    def niss(self) -> str | None:
        return self.person_id

    @property
    def display_name(self) -> str:
        """The name the header greets: «Bienvenue, <Prénom Nom>»."""
        return self.person.full_name if self.person_id else (self.username or "")

    @property
    def has_credentials(self) -> bool:
        """A username and a password: the same for every key that asks for them."""
        return bool(self.username) and self.has_usable_password()


class SimulatedCard(models.Model):
    """The simulator's side of a card key: a person's eID card, or a European eID (eIDAS).

    In production CSAM's FAS talks to the real card; here the card is a row with its PIN (hashed),
    so that the keys can be tried end to end. Not CSAM's data: the simulator's.
    """

    class Kind(models.TextChoices):
        EID = "eid", _("Carte eID belge ou carte électronique pour étrangers")
        EIDAS = "eidas", _("Identité électronique européenne (eIDAS)")

    person = models.ForeignKey(
        Person, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="cards"
    )
    kind = models.CharField(_("type"), max_length=5, choices=Kind)
    country = models.CharField(_("pays"), max_length=2, default="BE")
    pin = models.CharField(_("code PIN (haché)"), max_length=128)

    class Meta:
        verbose_name = _("carte simulée")
        verbose_name_plural = _("cartes simulées")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="simulatedcard_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.country} – {self.person}"


class SecurityCode(models.Model):
    """A 6-digit code sent by e-mail, to log in or to verify an address.

    Valid 10 minutes, used once, at most three wrong tries; only its HMAC is stored.
    """

    class Purpose(models.TextChoices):
        LOGIN = "login", _("connexion")
        VERIFY_EMAIL = "verify_email", _("vérification de l'adresse e-mail")

    user = models.ForeignKey(
        User, verbose_name=_("compte"), on_delete=models.CASCADE, related_name="security_codes"
    )
    purpose = models.CharField(_("usage"), max_length=12, choices=Purpose)
    email = models.EmailField(_("envoyé à"))
    digest = models.CharField(_("empreinte"), max_length=64)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"))
    used_at = models.DateTimeField(_("utilisé le"), null=True, blank=True)
    failures = models.PositiveSmallIntegerField(_("essais erronés"), default=0)

    class Meta:
        verbose_name = _("code de sécurité")
        verbose_name_plural = _("codes de sécurité")
        indexes = [
            models.Index(fields=["user", "purpose", "created_at"], name="securitycode_latest")
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} – {self.user} ({self.created_at:%Y-%m-%d %H:%M})"


class AccountLock(models.Model):
    """An account whose logins are blocked from everywhere (README «Lockout»): too many failed
    logins (its keys with a guessable secret refuse), or three wrong PINs in a row on its eID card
    (the eID key refuses). It ends at `until`, or when the back office lifts it.

    `account` is what the logins named: a NISS, "user:<id>" for an account without one, or
    "username:<name>" for a name no account has, which locks exactly as a real one would.
    """

    class Reason(models.TextChoices):
        FAILURES = "failures", _("trop de connexions échouées")
        CARD = "card", _("carte eID bloquée (trois codes PIN erronés de suite)")

    account = models.CharField(_("compte visé"), max_length=200)
    user = models.ForeignKey(
        User,
        verbose_name=_("compte"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="locks",
    )
    reason = models.CharField(_("motif"), max_length=10, choices=Reason)
    failures = models.PositiveSmallIntegerField(_("essais erronés"))
    locked_at = models.DateTimeField(_("bloqué le"))
    until = models.DateTimeField(_("bloqué jusqu'au"))
    lifted_at = models.DateTimeField(_("levé le"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        User,
        verbose_name=_("levé par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("blocage de compte")
        verbose_name_plural = _("blocages de comptes")
        ordering = ["-locked_at"]
        indexes = [models.Index(fields=["account", "until"], name="accountlock_current")]

    def __str__(self) -> str:
        who = str(self.user) if self.user_id else self.account
        return f"{who} – {self.get_reason_display()}"

    @property
    def is_current(self) -> bool:
        return self.lifted_at is None and self.until > timezone.now()
