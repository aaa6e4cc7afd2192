"""The screens of the GAP designation (flows.md §1), the co-GAP and GA forms: parse, normalise,
check.

They read (the registers, the current GAP) and write nothing: what counts an attempt (the
exceptional procedure's look-ups) is counted by the view, once per submit, before the form is
validated; the wizard validates its screens again at every step without side effect.

A required field is declared `required`, so the form library marks it « * » like every field of
the portal; the fields are checked again by the service at «Confirmer». Fields about the
requester carry their autocomplete purpose; fields about another person are `autocomplete="off"`,
so the browser never offers the requester's own details there (WCAG 1.3.5).
"""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from access_managers import selectors
from access_managers.models import ExceptionalRequest
from access_managers.services import designation, exceptional_requests
from csam_portal.core.fields import EmailField, EnterpriseNumberField, NissField, PhoneField
from enterprises import selectors as enterprise_selectors
from users import selectors as user_selectors
from users.models import Person


class SeenGapMixin:
    """Screen 1's rule for a registered enterprise: the first submit comes back with the notice
    «Cette entreprise est déjà enregistrée dans CSAM.» and its GAP's name (kept in the hidden
    `seen_gap`); the next submit goes on, and the service checks the GAP is still that one."""

    current_gap = None
    needs_acknowledgement = False
    requester = None

    def acknowledge_gap(self, cleaned: dict, number: str) -> dict:
        self.current_gap = selectors.gap_current(enterprise_number=number)
        seen = self.current_gap.person_id if self.current_gap else ""
        posted = cleaned.get("seen_gap") or ""
        # The hidden field as it is now: shown again with the notice, and stored by the wizard
        # once valid (a value carried over from another enterprise, or forged, is dropped).
        self.data = self.data.copy()
        self.data[self.add_prefix("seen_gap")] = seen
        if self.current_gap is None:  # not registered: nothing to acknowledge
            cleaned["seen_gap"] = None
            return cleaned
        if seen != posted:
            # Not an error: the page shows who the GAP is, the next submit goes on.
            self.needs_acknowledgement = True
            raise forms.ValidationError("", code="already_registered")
        cleaned["seen_gap"] = seen
        return cleaned

    @property
    def requester_is_gap(self) -> bool:
        return bool(
            self.current_gap
            and self.requester
            and self.current_gap.person_id == self.requester.niss
        )


class EnterpriseStepForm(SeenGapMixin, forms.Form):
    """Screen 1: the enterprise the requester represents.

    Valid when the enterprise may be registered by this requester (the service's rule, asked
    here so that screen 1 says a refusal) and, if it is registered already, once the requester
    has seen its current GAP (`seen_gap`): the first submit of a registered enterprise comes back
    with the notice and its GAP's name.
    """

    number = EnterpriseNumberField(
        label=_("Numéro d'entreprise"),
        help_text=_("Par exemple 0123.456.789, 0123456789 ou BE0123456789."),
    )
    seen_gap = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, requester: Person, **kwargs):
        self.requester = requester
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("number")
        if not number:
            return cleaned
        try:
            designation.gap_designation_check(enterprise_number=number, niss=self.requester.niss)
        except forms.ValidationError as error:
            self.add_error("number", error)
            return cleaned
        return self.acknowledge_gap(cleaned, number)


class ManagerStepForm(forms.Form):
    """Screen 2: who becomes GAP (the requester or another person) and the contact data."""

    SELF, OTHER = "self", "other"
    OTHER_PERSON_FIELDS = ("niss", "email", "phone")

    gap = forms.ChoiceField(
        label=_("Qui sera Gestionnaire d'Accès Principal ?"), widget=forms.RadioSelect
    )
    niss = NissField(label=_("Numéro de registre national (11 chiffres)"))
    email = EmailField(label=_("E-mail"), max_length=254, autocomplete="off")
    phone = PhoneField(label=_("Téléphone"), autocomplete="off")
    requester_email = EmailField(label=_("E-mail"), max_length=254, autocomplete="email")
    requester_phone = PhoneField(label=_("Téléphone"), autocomplete="tel")

    # Both blocks of the screen have an «E-mail» and a «Téléphone»: the error summary says whose.
    error_summary_labels = {
        "gap": _("Gestionnaire d'Accès Principal"),
        "email": _("E-mail du Gestionnaire d'Accès Principal"),
        "phone": _("Téléphone du Gestionnaire d'Accès Principal"),
        "requester_email": _("Votre e-mail"),
        "requester_phone": _("Votre téléphone"),
    }

    def __init__(
        self,
        *args,
        requester: Person,
        current_gap_niss: str | None,
        **kwargs,
    ):
        self.requester = requester
        self.current_gap_niss = current_gap_niss
        self.person = None
        super().__init__(*args, **kwargs)
        choices = [(self.OTHER, _("Autre personne"))]
        if requester.niss != current_gap_niss:  # designating oneself again is refused
            choices.insert(0, (self.SELF, requester.full_name))
        self.fields["gap"].choices = choices
        self.fields["gap"].initial = choices[0][0]

    @property
    def is_other(self) -> bool:
        return self.data.get(self.add_prefix("gap"), self.fields["gap"].initial) == self.OTHER

    @property
    def names_another_person(self) -> bool:
        """The submit names someone by their NISS: a look-up in the national register (which
        counts, without a login). Read from the data as posted, before any validation."""
        return self.is_other and bool(self.data.get(self.add_prefix("niss"), "").strip())

    def full_clean(self):
        """The other person's fields are required (and marked so) when «Autre personne» is
        chosen only; they are marked whatever the choice, as the page shows them both ways."""
        other = self.is_other
        for name in self.OTHER_PERSON_FIELDS:
            self.fields[name].required = other
        try:
            super().full_clean()
        finally:
            for name in self.OTHER_PERSON_FIELDS:
                self.fields[name].required = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("gap") == self.SELF:
            self.person = self.requester
            return cleaned
        niss = cleaned.get("niss")
        if not niss:
            return cleaned
        if niss == self.requester.niss:
            self.add_error(
                "niss",
                forms.ValidationError(
                    gettext("C'est votre propre numéro : choisissez votre nom ci-dessus."),
                    code="self_as_other",
                ),
            )
        elif niss == self.current_gap_niss:
            self.add_error(
                "niss",
                forms.ValidationError(
                    gettext(
                        "Cette personne est déjà Gestionnaire d'Accès Principal de cette "
                        "entreprise."
                    ),
                    code="already_gap",
                ),
            )
        else:
            self.person = user_selectors.person_get(niss=niss)
            if self.person is None:
                self.add_error(
                    "niss",
                    forms.ValidationError(
                        gettext("Ce numéro n'est pas connu du registre national."),
                        code="unknown_person",
                    ),
                )
        return cleaned

    def designation(self) -> dict:
        """The service's keyword arguments for the GAP and the requester's contact data."""
        data = self.cleaned_data
        if data["gap"] == self.SELF:
            return {
                "person": self.requester,
                "email": data["requester_email"],
                "phone": data["requester_phone"],
            }
        return {
            "person": self.person,
            "email": data["email"],
            "phone": data["phone"],
            "requester_email": data["requester_email"],
            "requester_phone": data["requester_phone"],
        }


class ConfirmationStepForm(forms.Form):
    """Screen 3: «Oui, je confirme»; `token` names the request, so it is carried out once."""

    confirm = forms.BooleanField(
        label=_("Oui, je confirme"),
        error_messages={"required": _("Cochez « Oui, je confirme » pour confirmer la demande.")},
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class PersonSearchForm(forms.Form):
    """The person to designate (co-GAP, GA), found by their NISS in the national register."""

    niss = NissField(label=_("Numéro de registre national (NISS)"))

    def clean_niss(self) -> str:
        niss = self.cleaned_data["niss"]
        self.person = user_selectors.person_get(niss=niss)
        if self.person is None:
            raise forms.ValidationError(
                gettext("Ce numéro n'est pas connu du registre national."), code="unknown_person"
            )
        return niss


class CoGapAddForm(PersonSearchForm):
    """Once the person's name is shown: their e-mail address, then «Ajouter»."""

    email = EmailField(label=_("E-mail"), max_length=254, autocomplete="off")
    phone = PhoneField(label=_("Téléphone (facultatif)"), required=False, autocomplete="off")


def too_many_lookups() -> forms.ValidationError:
    return forms.ValidationError(
        gettext(
            "Trop de tentatives ont échoué depuis votre connexion. Réessayez dans une heure, ou "
            "contactez le Centre de Contact."
        ),
        code="too_many",
    )


def _comparable(name: str) -> str:
    """A name with case, accents, spaces and hyphens ignored (flows.md §2)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


class IdentityStepForm(SeenGapMixin, forms.Form):
    """Screen 1 of the exceptional procedure: who the legal representative is, for which
    enterprise. A mismatch gets one generic refusal: the page never tells which part is wrong,
    and an IP address gets only a few refusals an hour."""

    niss = NissField(
        label=_("Numéro de registre national (11 chiffres)"),
        help_text=_("Avec ou sans les points et le tiret : 85.07.30-033.28 ou 85073003328."),
    )
    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=pgettext_lazy("family name", "Nom"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    number = EnterpriseNumberField(
        label=_("Numéro d'entreprise (10 chiffres)"),
        help_text=_("Avec ou sans points : 0123.456.789 ou 0123456789."),
    )
    seen_gap = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        niss, number = cleaned["niss"], cleaned["number"]
        functions = enterprise_selectors.legal_functions_valid_today(
            niss=niss, enterprise_number=number
        )
        names = (_comparable(cleaned["first_name"]), _comparable(cleaned["last_name"]))
        matches = any(
            (_comparable(function.first_name), _comparable(function.last_name)) == names
            for function in functions
        )
        self.requester = user_selectors.person_get(niss=niss) if matches else None
        try:
            if self.requester is None:
                raise forms.ValidationError("", code="unknown")
            designation.gap_designation_check(enterprise_number=number, niss=niss)
        except forms.ValidationError:
            raise forms.ValidationError(
                gettext(
                    "Ces données ne correspondent à aucun représentant légal actuel d'une "
                    "entreprise active dans la Banque-Carrefour des Entreprises. Vérifiez le "
                    "numéro de registre national, le prénom, le nom et le numéro d'entreprise."
                ),
                code="identity_refused",
            ) from None
        pending = ExceptionalRequest.objects.filter(
            enterprise_id=number, status__in=ExceptionalRequest.PENDING
        ).first()
        if pending is not None:  # said now, not after two more screens
            raise exceptional_requests.pending_request_error(pending)
        return self.acknowledge_gap(cleaned, number)


class TicketStatusForm(forms.Form):
    """A ticket and its enterprise's number: both must match to see the request's status."""

    ticket = forms.CharField(
        label=_("Numéro de ticket"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    number = EnterpriseNumberField(label=_("Numéro d'entreprise"))

    def clean(self):
        """`request` is the one found (the view counted the look-up before validating)."""
        cleaned = super().clean()
        if self.errors:
            return cleaned
        cleaned["request"] = selectors.exceptional_request_for_ticket(
            ticket=cleaned["ticket"], enterprise_number=cleaned["number"]
        )
        if cleaned["request"] is None:
            raise forms.ValidationError(
                gettext(
                    "Aucune demande ne correspond à ce numéro de ticket et à ce numéro "
                    "d'entreprise."
                ),
                code="no_such_ticket",
            )
        return cleaned

    def clean_ticket(self) -> str:
        ticket = "".join(self.cleaned_data["ticket"].split()).upper()
        if not re.fullmatch(r"[0-9A-Z]{13}", ticket):
            raise forms.ValidationError(
                gettext("Un numéro de ticket a 13 caractères, lettres et chiffres."),
                code="invalid_ticket",
            )
        return ticket


class ManagerEmailForm(forms.Form):
    """A GA's address: «Ajouter une adresse e-mail», or the pencil that edits one."""

    email = EmailField(label=_("Adresse e-mail"), max_length=254, autocomplete="off")
