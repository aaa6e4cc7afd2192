"""The social security's forms (flows.md §3): a qualité to register, the screens that name a GL
or a co-GL (NISS, «Création d'un Gestionnaire Local», the recap's token), and a person's own
addresses in a qualité (flows.md §4, «Données personnelles»). They read and write nothing; the
services check every rule again under their lock."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from access_managers.models import AccessManager, EnterpriseQuality, QualityMembership
from access_managers.services.qualities import identifier_normalise
from csam_portal.core.fields import EmailField, ModelChoicesField, NissField, PhoneField
from csam_portal.core.languages import Language
from csam_portal.templatetags.portal import phone
from enterprises.models import Quality, SecuredApplication
from users import selectors as user_selectors
from users.models import Person, User

Role = AccessManager.Role

ERANOVA_NOTE = _(
    "(cette adresse peut être utilisée dans le cadre de vos contacts individuels avec le centre "
    "de contact Eranova)"
)


class QualityRegisterForm(forms.Form):
    """A qualité of the catalogue and its identifier, in the form the catalogue gives."""

    quality = forms.ModelChoiceField(
        label=_("Qualité"), queryset=Quality.objects.order_by("code"), empty_label=None
    )
    identifier = forms.CharField(
        label=_("Identifiant"),
        max_length=100,
        help_text=_("Par exemple le matricule ONSS 1234567-89, ou le numéro d'entreprise."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean(self):
        cleaned = super().clean()
        quality, identifier = cleaned.get("quality"), cleaned.get("identifier")
        if quality is None or not identifier:
            return cleaned
        cleaned["identifier"] = identifier_normalise(identifier)
        if not re.fullmatch(quality.identifier_pattern, cleaned["identifier"]):
            self.add_error(
                "identifier",
                forms.ValidationError(
                    gettext(
                        "Cet identifiant n'a pas la forme attendue pour la qualité « %(quality)s »."
                    )
                    % {"quality": quality.name},
                    code="invalid_identifier",
                ),
            )
        return cleaned


class NissStepForm(forms.Form):
    """«NISS:» → «Suivant»: the person, found in the national register, who is not already
    what they would become."""

    niss = NissField(label=_("NISS:"))

    def __init__(self, *args, quality: EnterpriseQuality, role: str, **kwargs):
        self.quality, self.role, self.person = quality, role, None
        super().__init__(*args, **kwargs)

    def clean_niss(self) -> str:
        niss = self.cleaned_data["niss"]
        self.person = user_selectors.person_get(niss=niss)
        if self.person is None:
            raise forms.ValidationError(
                gettext("Ce numéro n'est pas connu du registre national."), code="unknown_person"
            )
        roles = set(
            AccessManager.objects.filter(
                quality=self.quality, person_id=niss, ended_at=None
            ).values_list("role", flat=True)
        )
        if self.role == Role.GL and Role.GL in roles:
            raise forms.ValidationError(
                gettext("Cette personne est déjà Gestionnaire Local de cette qualité."),
                code="already_gl",
            )
        if self.role == Role.CO_GL and roles:
            raise forms.ValidationError(
                gettext(
                    "Cette personne est déjà Gestionnaire Local ou Co-Gestionnaire Local de cette "
                    "qualité."
                ),
                code="already_local_manager",
            )
        return niss


def quality_applications(quality: EnterpriseQuality):
    """The secured applications of the qualité's type, by code."""
    return SecuredApplication.objects.filter(qualities=quality.quality_id).order_by("code")


class MembershipForm(forms.Form):
    """What a user of a qualité has there, as the managers' forms ask it: «Adresse e-mail
    utilisateur», «Adresse e-mail locale» and the qualité's applications (`offer`)."""

    email = EmailField(label=_("Adresse e-mail utilisateur"), max_length=254, autocomplete="off")
    local_email = EmailField(
        label=_("Adresse e-mail locale"),
        max_length=254,
        required=False,
        autocomplete="off",
        help_text=ERANOVA_NOTE,
    )
    applications = ModelChoicesField(
        label=_("Applications sécurisées"),
        queryset=SecuredApplication.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def offer(self, quality: EnterpriseQuality) -> None:
        """Offer the applications of `quality`'s type."""
        self.fields["applications"].queryset = quality_applications(quality)


class LocalManagerStepForm(MembershipForm):
    """«Création d'un (Co-)Gestionnaire Local»: the username (proposed, editable only while the
    person has no account), the e-mail addresses and the qualité's applications. Prefilled from
    the person's current membership of the qualité, if they have one."""

    username = forms.CharField(
        label=_("Nom d'utilisateur"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    field_order = ["username", "email", "local_email", "applications"]

    def __init__(self, *args, quality: EnterpriseQuality, person: Person, **kwargs):
        self.quality, self.person = quality, person
        self.account = User.objects.filter(person=person).first()
        self.membership = membership = (
            QualityMembership.objects.filter(quality=quality, person=person, ended_at=None)
            .prefetch_related("granted_applications")
            .first()
        )
        initial = kwargs.setdefault("initial", {})
        if membership is not None:
            initial.setdefault("email", membership.email)
            initial.setdefault("local_email", membership.local_email)
            initial.setdefault(
                "applications",
                [granted.application_id for granted in membership.granted_applications.all()],
            )
        elif self.account is not None:
            initial.setdefault("email", self.account.email)
        has_username = self.account is not None and bool(self.account.username)
        initial.setdefault(
            "username",
            self.account.username if has_username else user_selectors.username_proposal(person),
        )
        super().__init__(*args, **kwargs)
        self.offer(quality)
        if has_username:  # the account's username: shown, not changed here
            self.fields["username"].disabled = True
            self.fields["username"].required = False
        self.has_username = has_username

    def clean_username(self) -> str:
        if self.has_username:
            return self.account.username
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                gettext("Ce nom d'utilisateur est déjà pris."), code="username_taken"
            )
        return username


class RecapStepForm(forms.Form):
    """The read-only recap: «Confirmer» carries the request's token, so it acts once."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class MembershipAddressesForm(forms.Form):
    """The person's own «Adresse e-mail utilisateur» (required, as when they were named) and
    «Adresse e-mail locale» in one qualité: their own, so the browser may offer them."""

    email = EmailField(label=_("Adresse e-mail utilisateur"), max_length=254)
    local_email = EmailField(
        label=_("Adresse e-mail locale"), max_length=254, required=False, help_text=ERANOVA_NOTE
    )

    def __init__(self, *args, membership: QualityMembership, **kwargs):
        kwargs.setdefault(
            "initial", {"email": membership.email, "local_email": membership.local_email}
        )
        super().__init__(*args, **kwargs)


class QualityContactForm(forms.Form):
    """«Consulter ou modifier le détail de la qualité»: where the social security writes or
    calls about the qualité, and in which language. The qualité's own mailbox, not a person's:
    the browser offers nothing."""

    email = EmailField(label=_("Adresse e-mail de contact"), max_length=254, autocomplete="off")
    phone = PhoneField(label=_("Téléphone de contact"), required=False, autocomplete="off")
    language = forms.ChoiceField(label=_("Langue de contact"), choices=Language.choices)

    def __init__(self, *args, quality: EnterpriseQuality, language: str, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "email": quality.contact_email,
                "phone": phone(quality.contact_phone),
                "language": quality.contact_language or language,
            },
        )
        super().__init__(*args, **kwargs)
