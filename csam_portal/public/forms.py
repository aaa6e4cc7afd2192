from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _
from stdnum.be import vat
from stdnum.exceptions import ValidationError as StdnumError

from csam_portal.models import ContactMessage


class EnterpriseNumberField(forms.CharField):
    """An enterprise number as people type it (0123456789, 0123.456.789, BE 0123 456 789).

    Cleans to its 10 digits, refusing a number whose mod-97 check fails. The browser offers no
    number typed before (`autocomplete="off"`): it is rarely the same enterprise twice.
    """

    default_error_messages = {
        "invalid": _("Vérifiez le numéro : 10 chiffres, par exemple 0123.456.789."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def clean(self, value) -> str:
        value = super().clean(value)
        if not value:
            return value
        try:
            return vat.validate(value)
        except StdnumError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class ContactForm(forms.ModelForm):
    """A question for the contact centre; cleaned_data are the service's keyword arguments."""

    enterprise_number = EnterpriseNumberField(
        label=_("Numéro d'entreprise (facultatif)"),
        required=False,
        help_text=_("Par exemple 0123.456.789, si votre question concerne une entreprise."),
    )
    send_copy = forms.BooleanField(
        label=_("Recevoir par e-mail un accusé de réception avec la référence"),
        required=False,
        initial=True,
    )

    class Meta:
        model = ContactMessage
        fields = ["name", "email", "enterprise_number", "subject", "message"]
        labels = {
            "name": _("Nom et prénom"),
            "email": _("Adresse e-mail"),
            "subject": _("Objet"),
            "message": _("Votre question"),
        }
        help_texts = {
            "email": _("Le centre de contact vous répond à cette adresse."),
        }
        error_messages = {
            "email": {
                "invalid": _("Saisissez une adresse e-mail valide, par exemple nom@entreprise.be.")
            },
        }
        widgets = {
            "message": forms.Textarea(attrs={"rows": 6}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Envoyer ma question")))
