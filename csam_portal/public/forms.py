from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from csam_portal.core.fields import EmailField, EnterpriseNumberField
from csam_portal.models import ContactMessage


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
        field_classes = {"email": EmailField}
        widgets = {
            "message": forms.Textarea(attrs={"rows": 6}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Envoyer ma question")))
