"""The enterprise register (BCE/KBO Open Data extract), legal functions and the catalogue.

Registry tables mirror the public extract's files (enterprise, denomination, address, code, meta),
with normalised numbers; they change only through the importers (enterprises.registry).
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from stdnum.be import vat
from stdnum.exceptions import ValidationError as StdnumError

from users.models import validate_niss

# KBO's language codes of denomination.csv, and the portal's languages they stand for.
KBO_LANGUAGES = {"1": "fr", "2": "nl", "3": "de", "4": "en"}
OFFICIAL_NAME = "001"
REGISTERED_OFFICE = "REGO"


def validate_enterprise_number(value: str) -> None:
    """An enterprise number normalised to its 10 digits, passing the mod-97 check."""
    try:
        valid = vat.validate(value) == value
    except StdnumError:
        valid = False
    if not valid:
        raise ValidationError(
            _("Ce numéro d'entreprise n'est pas valable (10 chiffres, contrôle modulo 97)."),
            code="invalid_enterprise_number",
        )


def validate_regex(value: str) -> None:
    try:
        re.compile(value)
    except re.error as error:
        raise ValidationError(
            _("Cette expression régulière n'est pas valable : %(error)s"),
            code="invalid_regex",
            params={"error": error},
        ) from None


def address_is_current(date_striking_off: datetime.date | None, *, today: datetime.date) -> bool:
    """The register strikes an address off from its DateStrikingOff on: until then it holds."""
    return date_striking_off is None or date_striking_off > today


def format_enterprise_number(number: str) -> str:
    """0123456789 → 0123.456.789, as the registry and the seeds write it."""
    return f"{number[:4]}.{number[4:7]}.{number[7:]}"


class RegistryExtract(models.Model):
    """One extract imported from the register: its meta.csv, and what the import did."""

    class Kind(models.TextChoices):
        FULL = "full", _("complet")
        UPDATE = "update", _("mise à jour")

    snapshot_date = models.DateField(_("date de l'instantané"))
    extract_timestamp = models.DateTimeField(_("horodatage de l'extrait"), null=True, blank=True)
    kind = models.CharField(_("type"), max_length=10, choices=Kind)
    extract_number = models.PositiveIntegerField(_("numéro d'extrait"), null=True, blank=True)
    version = models.CharField(_("version"), max_length=20, blank=True)
    imported_at = models.DateTimeField(_("importé le"), default=timezone.now)
    summary = models.JSONField(_("résumé"), default=dict)

    class Meta:
        verbose_name = _("extrait de la BCE")
        verbose_name_plural = _("extraits de la BCE")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.snapshot_date:%d-%m-%Y}"


class RegistryCode(models.Model):
    """A label of code.csv: juridical forms, statuses, juridical situations, in each language."""

    category = models.CharField(_("catégorie"), max_length=50)
    code = models.CharField(_("code"), max_length=10)
    language = models.CharField(_("langue"), max_length=2)
    description = models.CharField(_("libellé"), max_length=255)

    class Meta:
        verbose_name = _("code de la BCE")
        verbose_name_plural = _("codes de la BCE")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "code", "language"], name="registrycode_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.code} {self.language}: {self.description}"


class Enterprise(models.Model):
    """An enterprise of the register, keyed by its number."""

    class Status(models.TextChoices):
        ACTIVE = "AC", _("Actif")
        STOPPED = "ST", _("Arrêté")

    number = models.CharField(
        _("numéro d'entreprise"),
        max_length=10,
        primary_key=True,
        validators=[validate_enterprise_number],
    )
    status = models.CharField(_("statut"), max_length=2, choices=Status)
    juridical_situation = models.CharField(_("situation juridique"), max_length=3)
    type_of_enterprise = models.CharField(_("type d'entité"), max_length=1)
    juridical_form = models.CharField(_("forme juridique"), max_length=3, blank=True)
    juridical_form_cac = models.CharField(_("forme juridique (CAC)"), max_length=3, blank=True)
    start_date = models.DateField(_("date de début"), null=True, blank=True)
    # An update deleted it while the portal holds on to it (a registration, a GAP, a request):
    # it stays, with its names, addresses and history, but is no longer active and has no legal
    # representative. The register listing it again clears the date.
    removed_from_register_on = models.DateField(_("retirée de la BCE le"), null=True, blank=True)

    class Meta:
        verbose_name = _("entreprise")
        verbose_name_plural = _("entreprises")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.formatted_number} {self.name}"

    @property
    def formatted_number(self) -> str:
        return format_enterprise_number(self.number)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE and self.removed_from_register_on is None

    @property
    def name(self) -> str:
        """The official name in the page's language, else in the language the register has
        (read with the enterprise when its selector annotated `official_name`)."""
        if "official_name" in self.__dict__:
            return self.__dict__["official_name"] or ""
        return self.name_in(translation.get_language() or "fr")

    def name_in(self, language: str) -> str:
        official = [d for d in self.denominations.all() if d.type == OFFICIAL_NAME]
        for denomination in official:
            if KBO_LANGUAGES.get(denomination.language) == language:
                return denomination.value
        return min(official, key=lambda d: d.language).value if official else ""

    @property
    def juridical_form_label(self) -> str:
        """code.csv's label of the juridical form (see selectors.enterprise_get), else the code."""
        return (
            getattr(self, "juridical_form_in_language", None)
            or getattr(self, "juridical_form_in_french", None)
            or self.juridical_form
        )

    @property
    def registered_address(self) -> "Address | None":
        """The registered office, unless the register has struck it off."""
        return next(
            (
                a
                for a in self.addresses.all()
                if a.type_of_address == REGISTERED_OFFICE and a.is_current
            ),
            None,
        )


class Denomination(models.Model):
    """A name of an enterprise (official name, abbreviation, commercial name) in one language."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("entreprise"),
        on_delete=models.DB_CASCADE,
        related_name="denominations",
        db_index=False,  # the unique constraint starts with it
    )
    language = models.CharField(_("langue"), max_length=1)
    type = models.CharField(_("type de dénomination"), max_length=3)
    value = models.CharField(_("dénomination"), max_length=320)

    class Meta:
        verbose_name = _("dénomination")
        verbose_name_plural = _("dénominations")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "type", "language", "value"], name="denomination_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.value


class Address(models.Model):
    """An address of an enterprise; REGO is its registered office."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("entreprise"),
        on_delete=models.DB_CASCADE,
        related_name="addresses",
        db_index=False,  # the unique constraint starts with it
    )
    type_of_address = models.CharField(_("type d'adresse"), max_length=4)
    country_nl = models.CharField(_("pays (NL)"), max_length=100, blank=True)
    country_fr = models.CharField(_("pays (FR)"), max_length=100, blank=True)
    zipcode = models.CharField(_("code postal"), max_length=20, blank=True)
    municipality_nl = models.CharField(_("commune (NL)"), max_length=200, blank=True)
    municipality_fr = models.CharField(_("commune (FR)"), max_length=200, blank=True)
    street_nl = models.CharField(_("rue (NL)"), max_length=200, blank=True)
    street_fr = models.CharField(_("rue (FR)"), max_length=200, blank=True)
    house_number = models.CharField(_("numéro"), max_length=22, blank=True)
    box = models.CharField(_("boîte"), max_length=20, blank=True)
    extra_address_info = models.CharField(_("complément"), max_length=200, blank=True)
    date_striking_off = models.DateField(_("date de radiation"), null=True, blank=True)

    class Meta:
        verbose_name = _("adresse")
        verbose_name_plural = _("adresses")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "type_of_address"], name="address_unique_type"
            ),
        ]

    def __str__(self) -> str:
        return " ".join(self.lines())

    @property
    def is_current(self) -> bool:
        return address_is_current(self.date_striking_off, today=timezone.localdate())

    def lines(self, language: str | None = None) -> list[str]:
        """Street and number, then postcode and municipality, in Dutch for Dutch, else French."""
        dutch = (language or translation.get_language()) == "nl"
        street = (self.street_nl if dutch else self.street_fr) or self.street_fr or self.street_nl
        town = (
            (self.municipality_nl if dutch else self.municipality_fr)
            or self.municipality_fr
            or self.municipality_nl
        )
        number = " ".join(
            part for part in [self.house_number, self.box and f"bte {self.box}"] if part
        )
        country = (self.country_nl if dutch else self.country_fr) or ""
        lines = [f"{street} {number}".strip(), f"{self.zipcode} {town}".strip()]
        return [line for line in [*lines, country] if line]


class LegalFunction(models.Model):
    """A legal function a person holds in an enterprise: what makes them its representative."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("entreprise"),
        on_delete=models.DB_CASCADE,
        related_name="legal_functions",
        db_index=False,  # the unique constraint starts with it
    )
    niss = models.CharField(_("NISS"), max_length=11, validators=[validate_niss])
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    function_code = models.CharField(_("code de fonction"), max_length=5)
    label_fr = models.CharField(_("fonction (FR)"), max_length=100)
    label_nl = models.CharField(_("fonction (NL)"), max_length=100)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True)

    class Meta:
        verbose_name = _("fonction légale")
        verbose_name_plural = _("fonctions légales")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "niss", "function_code", "start_date"],
                name="legalfunction_unique",
            ),
        ]
        indexes = [models.Index(fields=["niss"], name="legalfunction_niss")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}, {self.label_fr} ({self.enterprise_id})"


class TranslatedName(models.Model):
    """A catalogue entry named in the four languages; `name` is the page's language's."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_fr = models.CharField(_("nom (FR)"), max_length=200)
    name_nl = models.CharField(_("nom (NL)"), max_length=200)
    name_de = models.CharField(_("nom (DE)"), max_length=200)
    name_en = models.CharField(_("nom (EN)"), max_length=200)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = translation.get_language() or "fr"
        return getattr(self, f"name_{language[:2]}", "") or self.name_fr


class Domain(TranslatedName):
    """A group of applications whose access an access manager (GA) manages."""

    class ManagedIn(models.TextChoices):
        QUALITIES = "qualities", _("Gestion des accès (qualités)")
        ROLES = "roles", _("Gestion des rôles eGov")
        EXTERNAL = "external", _("Système externe")

    managed_in = models.CharField(_("géré dans"), max_length=10, choices=ManagedIn)

    class Meta(TranslatedName.Meta):
        verbose_name = _("domaine")
        verbose_name_plural = _("domaines")


class Quality(TranslatedName):
    """A qualité of the social-security domain (e.g. «Employeur ONSS»), with its identifier."""

    identifier_fr = models.CharField(_("identifiant (FR)"), max_length=100)
    identifier_nl = models.CharField(_("identifiant (NL)"), max_length=100)
    identifier_de = models.CharField(_("identifiant (DE)"), max_length=100)
    identifier_en = models.CharField(_("identifiant (EN)"), max_length=100)
    identifier_pattern = models.CharField(
        _("forme de l'identifiant"),
        max_length=200,
        validators=[validate_regex],
        help_text=_("Expression régulière que l'identifiant doit respecter."),
    )

    class Meta(TranslatedName.Meta):
        verbose_name = _("qualité")
        verbose_name_plural = _("qualités")

    @property
    def identifier_label(self) -> str:
        language = translation.get_language() or "fr"
        return getattr(self, f"identifier_{language[:2]}", "") or self.identifier_fr


class SecuredApplication(TranslatedName):
    """An application of the social security, usable under some qualités, on some channels."""

    qualities = models.ManyToManyField(
        Quality, verbose_name=_("qualités"), related_name="applications"
    )
    web = models.BooleanField(_("web"), default=True)
    ftp = models.BooleanField(_("FTP"), default=False)
    sftp = models.BooleanField(_("SFTP"), default=False)
    web_service = models.BooleanField(_("Web Service"), default=False)

    class Meta(TranslatedName.Meta):
        verbose_name = _("application sécurisée")
        verbose_name_plural = _("applications sécurisées")
