"""The forms of a qualité's «Utilisateurs» (flows.md §4), its filters aside (user_filters.py):
the checked rows and their action, the applications of a group action, the creation's screens
and one user's changes. They read and write nothing; the services check every rule again under
their lock."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth.hashers import identify_hasher, make_password
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from access_managers.models import EnterpriseQuality, QualityMembership
from access_managers.quality_forms import MembershipForm, quality_applications
from csam_portal.core.fields import ModelChoicesField, NissField
from csam_portal.core.languages import Language
from enterprises.models import SecuredApplication
from users.models import Person, User

Status = QualityMembership.Status


# The checked rows and what to do with them -------------------------------------------------


class Action:
    ADD_APPLICATIONS = "applications_add"
    REMOVE_APPLICATIONS = "applications_remove"
    BLOCK = "block"
    UNBLOCK = "unblock"
    DELETE = "delete"

    choices = [
        (ADD_APPLICATIONS, _("Ajouter application(s)")),
        (REMOVE_APPLICATIONS, _("Supprimer application(s)")),
        (BLOCK, _("Bloquer utilisateur(s)")),
        (UNBLOCK, _("Débloquer utilisateur(s)")),
        (DELETE, _("Supprimer utilisateur(s)")),
    ]


MAX_SELECTION = 100  # a page shows ten; a forged list of thousands is refused


class _Ids(forms.TypedMultipleChoiceField):
    """Whole numbers, each a possible membership id: which are this qualité's current users is
    the service's check, under its lock (and the confirmation page's, before)."""

    def valid_value(self, value) -> bool:
        return bool(re.fullmatch(r"[0-9]{1,18}", str(value)))


class SelectionForm(forms.Form):
    """The action and the checked rows of «Utilisateurs»."""

    action = forms.ChoiceField(label=_("Action"), choices=Action.choices)
    user = _Ids(coerce=int, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].error_messages = {
            "required": gettext("Cochez un ou plusieurs utilisateurs dans la liste."),
            "invalid_choice": gettext("Cochez un ou plusieurs utilisateurs dans la liste."),
        }
        self.fields["action"].error_messages = {
            "required": gettext("Choisissez une action."),
            "invalid_choice": gettext("Choisissez une action de la liste."),
        }

    def clean_user(self) -> list[int]:
        chosen = self.cleaned_data["user"]
        if len(chosen) > MAX_SELECTION:
            raise forms.ValidationError(
                gettext("Cochez au plus %(count)d utilisateurs à la fois.")
                % {"count": MAX_SELECTION},
                code="too_many",
            )
        return chosen


class ApplicationsForm(forms.Form):
    """The applications of a group action: those of the qualité."""

    applications = ModelChoicesField(
        label=_("Applications sécurisées"),
        queryset=SecuredApplication.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez une ou plusieurs applications.")},
    )

    def __init__(self, *args, quality: EnterpriseQuality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = quality_applications(quality)


# «Création d'un Utilisateur» ---------------------------------------------------------------


class UserNissForm(forms.Form):
    """«NISS:» → «Suivant»: a person of the national register, not already a user of the
    qualité."""

    niss = NissField(label=_("NISS:"))

    def __init__(self, *args, quality: EnterpriseQuality, **kwargs):
        self.quality, self.person = quality, None
        super().__init__(*args, **kwargs)

    def clean_niss(self) -> str:
        niss = self.cleaned_data["niss"]
        self.person = Person.objects.filter(niss=niss).select_related("account").first()
        if self.person is None:
            raise forms.ValidationError(
                gettext("Ce numéro n'est pas connu du registre national."), code="unknown_person"
            )
        if QualityMembership.objects.filter(
            quality=self.quality, person_id=niss, ended_at=None
        ).exists():
            raise forms.ValidationError(
                gettext("Cette personne est déjà utilisateur de cette qualité."),
                code="already_user",
            )
        return niss


_PASSWORD_SALT = "access_managers.user_create.password"


class UserDetailsForm(MembershipForm):
    """«Création d'un Utilisateur»: the username and the password twice (unless the person's
    account has them: they keep them), the language, the addresses, the qualité's applications.

    The password never reaches the session: once valid, the form's data holds its hash, signed
    (a hash posted by hand is refused), and the two password fields are emptied. Shown again
    («← Corriger»), the fields may stay empty to keep it.
    """

    username1 = forms.RegexField(
        label=_("Nom d'utilisateur (première fois)"),
        regex=r"^[\w.@+-]{3,150}$",
        max_length=150,
        error_messages={
            "invalid": _("De 3 à 150 lettres, chiffres ou caractères . @ + - _ sans espace.")
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    username2 = forms.CharField(
        label=_("Nom d'utilisateur (confirmation)"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    password1 = forms.CharField(
        label=_("Mot de passe (première fois)"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Mot de passe (confirmation)"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_hash = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1000)
    language = forms.ChoiceField(label=_("Choix linguistique"), choices=Language.choices)
    field_order = [
        "username1", "username2", "password1", "password2", "password_hash", "language",
        "email", "local_email", "applications",
    ]  # fmt: skip

    def __init__(self, *args, quality: EnterpriseQuality, person: Person, **kwargs):
        self.quality, self.person = quality, person
        self.account = User.objects.filter(person=person).first()
        self.keeps_credentials = self.account is not None and bool(self.account.username)
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("language", self.account.language if self.account else person.language)
        if self.account is not None and self.account.email:
            initial.setdefault("email", self.account.email)
        super().__init__(*args, **kwargs)
        self.offer(quality)
        if self.keeps_credentials:
            for name in ("username1", "username2", "password1", "password2", "password_hash"):
                del self.fields[name]
            self.fields["language"].disabled = True

    def clean_username1(self) -> str:
        username = self.cleaned_data["username1"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                gettext("Ce nom d'utilisateur est déjà pris."), code="username_taken"
            )
        return username

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.keeps_credentials:
            cleaned["username"] = self.account.username
            cleaned["password_hash"] = ""
            return cleaned
        username = cleaned.get("username1")
        if username and cleaned.get("username2") != username:
            self.add_error(
                "username2", gettext("Les deux noms d'utilisateur ne sont pas identiques.")
            )
        cleaned["username"] = username
        password, confirmation = cleaned.pop("password1", ""), cleaned.pop("password2", "")
        signed = cleaned.get("password_hash", "")
        if password or confirmation:
            if password != confirmation:
                self.add_error(
                    "password2", gettext("Les deux mots de passe ne sont pas identiques.")
                )
                return cleaned
            try:
                validate_password(password, user=User(username=username or ""))
            except forms.ValidationError as error:
                self.add_error("password1", error)
                return cleaned
            signed = signing.dumps(make_password(password), salt=_PASSWORD_SALT)
            self._keep_only_hash(signed)
        if not signed or _password_hash(signed) is None:
            self.add_error("password1", gettext("Introduisez deux fois le mot de passe."))
            return cleaned
        cleaned["password_hash"] = _password_hash(signed)
        return cleaned

    def _keep_only_hash(self, signed: str) -> None:
        data = self.data.copy()
        data[self.add_prefix("password_hash")] = signed
        data[self.add_prefix("password1")] = ""
        data[self.add_prefix("password2")] = ""
        self.data = data


def _password_hash(signed: str) -> str | None:
    """The hash the form signed, or None for anything else."""
    try:
        value = signing.loads(signed, salt=_PASSWORD_SALT)
        identify_hasher(value)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return value


class UserEditForm(MembershipForm):
    """«Consulter / modifier» one user: addresses, language, applications, status."""

    language = forms.ChoiceField(label=_("Choix linguistique"), choices=Language.choices)
    status = forms.ChoiceField(label=_("Statut"), choices=Status.choices)
    field_order = ["email", "local_email", "language", "applications", "status"]

    def __init__(self, *args, quality: EnterpriseQuality, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer(quality)


class UserSearchForm(forms.Form):
    """«Rechercher utilisateurs»: the beginning of a name, a username or a NISS."""

    q = forms.CharField(
        label=_("Nom, prénom, nom d'utilisateur ou NISS"),
        min_length=2,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "type": "search"}),
    )

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()
