"""The form fields of what people type in many shapes: an enterprise number, a national register
(or BIS) number, a telephone number, an e-mail address.

Each accepts the shapes people write and cleans to the one the portal stores; anything else gets
the field's own message, code "invalid". `autocomplete` is the input's purpose (WCAG 1.3.5):
"off" where the browser must not offer what was typed before (another person's details, or the
number of an enterprise, rarely the same twice). And boxes that choose rows of a model by key.
"""

import re

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _
from stdnum.be import ssn, vat
from stdnum.exceptions import InvalidFormat
from stdnum.exceptions import ValidationError as StdnumError


class NumberField(forms.CharField):
    """A number as people type it, cleaned by `normalise()` to the form the portal stores.

    `normalise` raises python-stdnum's ValidationError for what is no such number.
    """

    default_max_length = 20
    input_attrs = {"inputmode": "numeric"}
    default_autocomplete = "off"

    def __init__(self, *, autocomplete: str | None = None, **kwargs):
        kwargs.setdefault("max_length", self.default_max_length)
        attrs = {**self.input_attrs, "autocomplete": autocomplete or self.default_autocomplete}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def clean(self, value) -> str:
        value = super().clean(value)
        if not value:
            return value
        try:
            return self.normalise(value)
        except StdnumError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def normalise(self, value: str) -> str:
        raise NotImplementedError


class EnterpriseNumberField(NumberField):
    """An enterprise number (0123456789, 0123.456.789, BE 0123 456 789): its 10 digits, the
    mod-97 check passed."""

    default_error_messages = {
        "invalid": _("Vérifiez le numéro : 10 chiffres, par exemple 0123.456.789."),
    }

    def normalise(self, value: str) -> str:
        return vat.validate(value)


class NissField(NumberField):
    """A national register or BIS number (80.03.15-102.82): its 11 digits.

    Never offered by the browser: on a shared computer it would offer one person's number to the
    next, and a form naming another person would be offered the user's own.
    """

    default_error_messages = {
        "invalid": _("Vérifiez le numéro : 11 chiffres, par exemple 85.07.30-033.28."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Numéro de registre national"))
        super().__init__(**kwargs)

    def normalise(self, value: str) -> str:
        return ssn.validate(value)


class PhoneField(NumberField):
    """A telephone number (02 512 34 56, +32 2 512 34 56): its E.164 form (+3225123456)."""

    default_max_length = 30
    input_attrs = {"type": "tel"}
    default_autocomplete = "tel"
    default_error_messages = {
        "invalid": _(
            "Ce numéro de téléphone n'est pas valable. Indiquez-le avec son indicatif, par "
            "exemple 02 512 34 56 ou +32 2 512 34 56."
        ),
    }

    def normalise(self, value: str) -> str:
        # stdnum has no telephone numbers: libphonenumber decides, its refusal said as stdnum's.
        try:
            number = phonenumbers.parse(value, "BE")
        except phonenumbers.NumberParseException:
            raise InvalidFormat() from None
        if not phonenumbers.is_valid_number(number):
            raise InvalidFormat()
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class EmailField(forms.EmailField):
    """An e-mail address, refused with an example of one."""

    default_error_messages = {
        "invalid": _("Saisissez une adresse e-mail valide, par exemple nom@entreprise.be."),
    }

    def __init__(self, *, autocomplete: str = "email", **kwargs):
        kwargs.setdefault("widget", forms.EmailInput(attrs={"autocomplete": autocomplete}))
        super().__init__(**kwargs)


class ModelChoicesField(forms.ModelMultipleChoiceField):
    """Several rows of a model, checked as boxes, chosen by their whole-number keys: a value
    that is no key (text, or a number no database column holds) is refused as a choice that
    does not exist, before any query (SQLite cannot compare a number past 64 bits)."""

    def _check_values(self, value):
        for pk in value:
            if not re.fullmatch(r"[0-9]{1,18}", str(pk)):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)
