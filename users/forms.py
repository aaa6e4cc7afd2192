"""The forms of the digital keys: each cleans to the credentials its key's verifier takes; and
those of the person's own account («Données personnelles»)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from csam_portal.core.fields import EmailField, NissField
from csam_portal.core.languages import Language
from users import lockout
from users.methods import Method
from users.models import User

# The member states whose notified eIDs the European key accepts, in their own languages.
EU_COUNTRIES = [
    ("AT", "Österreich"), ("BG", "България"), ("CY", "Κύπρος"), ("CZ", "Česko"),
    ("DE", "Deutschland"), ("DK", "Danmark"), ("EE", "Eesti"), ("EL", "Ελλάδα"), ("ES", "España"),
    ("FI", "Suomi"), ("FR", "France"), ("HR", "Hrvatska"), ("HU", "Magyarország"),
    ("IE", "Éire / Ireland"), ("IT", "Italia"), ("LT", "Lietuva"), ("LU", "Lëtzebuerg"),
    ("LV", "Latvija"), ("MT", "Malta"), ("NL", "Nederland"), ("PL", "Polska"), ("PT", "Portugal"),
    ("RO", "România"), ("SE", "Sverige"), ("SI", "Slovenija"), ("SK", "Slovensko"),
]  # fmt: skip
# The language of each name above; «Éire / Ireland» is in two and keeps the page's.
EU_COUNTRY_LANGUAGES = {
    "AT": "de", "BG": "bg", "CY": "el", "CZ": "cs", "DE": "de", "DK": "da", "EE": "et", "EL": "el",
    "ES": "es", "FI": "fi", "FR": "fr", "HR": "hr", "HU": "hu", "IT": "it", "LT": "lt", "LU": "lb",
    "LV": "lv", "MT": "mt", "NL": "nl", "PL": "pl", "PT": "pt", "RO": "ro", "SE": "sv", "SI": "sl",
    "SK": "sk",
}  # fmt: skip


class KeyForm(forms.Form):
    """A step of a key: the button says what happens."""

    submit_label = _("Se connecter")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class CardForm(KeyForm):
    """The national register number of a card key: only its form is checked here; whether the
    person and the card exist is the key's answer, the same as for a wrong PIN (users.verifiers)."""

    niss = NissField()


class EidForm(CardForm):
    pin = forms.CharField(
        label=_("Code PIN"),
        min_length=4,
        max_length=4,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Le code à 4 chiffres de votre carte d'identité."),
    )


class ItsmeForm(CardForm):
    submit_label = _("Envoyer la demande à itsme")


class CountrySelect(forms.Select):
    """The countries, each option marked with the language of its name (for screen readers)."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value in EU_COUNTRY_LANGUAGES:
            option["attrs"]["lang"] = EU_COUNTRY_LANGUAGES[value]
        return option


class EidasForm(CardForm):
    country = forms.ChoiceField(
        label=_("Pays de votre identité électronique"),
        choices=EU_COUNTRIES,
        widget=CountrySelect,
    )
    niss = NissField(
        label=_("Numéro BIS ou de registre national"),
        help_text=_("Le numéro belge auquel votre identité européenne est liée."),
    )
    pin = forms.CharField(
        label=_("Code PIN"),
        max_length=12,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    field_order = ["country", "niss", "pin"]


class PasswordForm(KeyForm):
    username = forms.CharField(label=_("Nom d'utilisateur"), max_length=150)
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, submit_label=None, **kwargs):
        if submit_label:
            self.submit_label = submit_label
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autocomplete"] = "username"


class CodeForm(KeyForm):
    code = forms.RegexField(
        label=_("Code de sécurité"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Le code de sécurité compte 6 chiffres.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def __init__(self, *args, submit_label=None, **kwargs):
        if submit_label:
            self.submit_label = submit_label
        super().__init__(*args, **kwargs)


class CredentialsForm(KeyForm):
    """Choose the username and a password of the security-code keys, unless the account has them.

    cleaned_data has `username` and `password_hash`, never the password itself; neither when the
    account already has a username and a password (another key's): the key keeps them.
    """

    username = forms.RegexField(
        label=_("Nom d'utilisateur"),
        regex=r"^[\w.@+-]{3,150}$",
        error_messages={
            "invalid": _("De 3 à 150 lettres, chiffres ou caractères . @ + - _ sans espace.")
        },
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Mot de passe (confirmation)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        self.keeps_credentials = user.has_credentials
        super().__init__(*args, **kwargs)
        if self.keeps_credentials:
            for name in ["username", "password1", "password2"]:
                del self.fields[name]
        elif user.username:
            self.fields["username"].initial = user.username

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError(_("Ce nom d'utilisateur est déjà pris."), code="taken")
        return username

    def clean(self) -> dict:
        cleaned = super().clean()
        password = cleaned.pop("password1", None)
        confirmation = cleaned.pop("password2", None)
        if password and confirmation and password != confirmation:
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
        elif password:
            try:
                validate_password(password, user=self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
            else:
                cleaned["password_hash"] = make_password(password)
        return cleaned


class EmailKeyForm(CredentialsForm):
    submit_label = _("Envoyer le code de vérification")
    email = EmailField(
        label=_("Adresse e-mail"),
        help_text=_("Le code de sécurité vous sera envoyé à cette adresse à chaque connexion."),
    )


class TotpKeyForm(CredentialsForm):
    submit_label = _("Activer la clé")
    code = CodeForm.base_fields["code"]


class LanguageSelect(forms.Select):
    """The four languages, each option marked with its own (every name is in its language)."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value in Language.values:
            option["attrs"]["lang"] = value
        return option


class PersonalDataForm(forms.Form):
    """«Modifier mes données personnelles»: the account's e-mail address and language. While the
    e-mail key sends its codes to the address, the address is shown but not taken (the service
    refuses to change it: `accounts.user_personal_data_set`)."""

    email = EmailField(
        label=_("Adresse e-mail"),
        required=False,
        help_text=_("Les messages concernant votre compte CSAM vous sont envoyés à cette adresse."),
    )
    language = forms.ChoiceField(
        label=_("Choix linguistique"),
        choices=[(language.value, Language(language).label) for language in Language],
        widget=LanguageSelect,
        help_text=_("La langue du portail et des e-mails qu'il vous envoie."),
    )

    def __init__(self, *args, user: User, **kwargs):
        kwargs.setdefault("initial", {"email": user.email, "language": user.language})
        super().__init__(*args, **kwargs)
        if user.email_key_activated_at is not None:
            field = self.fields["email"]
            field.disabled = True  # the posted value is ignored: the initial one is kept
            field.help_text = _(
                "Cette adresse reçoit les codes de votre clé « Code de sécurité par e-mail » : "
                "pour en changer, désactivez puis activez à nouveau cette clé dans « Mes clés "
                "numériques »."
            )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Enregistrer")))


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """«Modifier mon mot de passe»: the current password, the new one twice, checked by the
    password rules (AUTH_PASSWORD_VALIDATORS, Django's SetPasswordMixin).

    A wrong current password counts as a failed login with the password key (users.lockout):
    the form would otherwise let whoever finds a session open guess the password without limit,
    then log in with it anywhere once the session ends. The same limits apply as on the login
    page: three failures lock the account from this address for a while (the session already
    open goes on), ACCOUNT_FAILURE_LIMIT from anywhere lock its password keys and e-mail the
    account; while a lock holds, even the right password is refused, with the lock's message.
    A right current password gives the attempt back, as a right login does.
    """

    error_messages = {
        "password_mismatch": _("Les deux mots de passe ne sont pas identiques."),
        "password_incorrect": _("Votre mot de passe actuel n'est pas celui-ci. Réessayez."),
    }

    def __init__(self, user: User, *args, request: HttpRequest, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)
        self.fields["old_password"].label = _("Mot de passe actuel")
        self.fields["old_password"].widget.attrs.pop("autofocus", None)  # as every other form
        # Its help lists the rules of AUTH_PASSWORD_VALIDATORS, in Django's words (translated
        # by Django's catalogues): always the rules the portal checks.
        self.fields["new_password1"].label = _("Nouveau mot de passe")
        self.fields["new_password2"].label = _("Nouveau mot de passe (confirmation)")
        self.fields["new_password2"].help_text = ""
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Modifier mon mot de passe")))

    def clean(self) -> dict:
        """Django's checks (SetPasswordMixin), the rules' refusals said on the new password
        itself rather than on its confirmation."""
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return super(auth_forms.SetPasswordForm, self).clean()

    @sensitive_variables("old_password")
    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        user = self.user
        checked = lockout.authenticate(
            self.request,
            method=Method.PASSWORD,
            account=lockout.account_named(niss=user.niss, username=user.username),
            verify=lambda: user if user.check_password(old_password) else None,
            allowed=lambda account: True,
        )
        if checked is None:
            refusal = getattr(self.request, "login_refusal", None)
            if refusal is not None:
                raise forms.ValidationError(refusal.message, code="locked")
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password
