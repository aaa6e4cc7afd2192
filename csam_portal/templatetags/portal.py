"""The portal's template tags and filters, in every template as `{% load portal %}`.

- `{% error_summary form as errors %}`: what the error summary of a refused form lists. GOV.UK's
  error summary: at the top of the page, every error of the page's form, the form's own first,
  then each field's in the form's order, linking to its input (a radio group's first choice).
  templates/base.html renders it for the view's `form`, and starts the page title with
  «Erreur : ».
- `{{ address|masked_email }}`: an e-mail address shown to someone who must not learn it
  (m•••@example.be): enough for its owner to recognise it, not enough to write to it.
- `{{ number|phone }}`: a stored E.164 number as people read it (+32 2 512 34 56).

It imports no app: it is the core's (csam_portal.core).
"""

from dataclasses import dataclass

import phonenumbers
from django import forms, template

register = template.Library()


@dataclass(frozen=True)
class SummaryError:
    message: str
    label: str = ""
    target: str = ""  # the id of the input to go to; none for the form's own errors


@register.simple_tag
def error_summary(form) -> list[SummaryError]:
    """The errors to list; none for anything but a bound form (or a form's mere notice: an error
    without a message, such as screen 1's «Cette entreprise est déjà enregistrée dans CSAM.»)."""
    if not isinstance(form, forms.BaseForm) or not form.is_bound:
        return []
    # A form names a field apart where its label alone is ambiguous on the page.
    labels = getattr(form, "error_summary_labels", {})
    errors = [SummaryError(str(message)) for message in form.non_field_errors() if message]
    for field in form:
        for message in field.errors:
            if not message:
                continue
            if field.is_hidden:  # nothing to go to: said as the form's own
                errors.append(SummaryError(str(message)))
                continue
            label = labels.get(field.name, field.label)
            # A radio group has no id of its own: its first choice stands for it.
            target = field.id_for_label or field.subwidgets[0].id_for_label
            errors.append(SummaryError(str(message), label=str(label), target=target))
    return errors


MASK = "•••"


@register.filter
def masked_email(value: str) -> str:
    local, at, domain = (value or "").rpartition("@")
    if not at:
        return MASK
    shown = local[:1] if len(local) > 1 else ""
    return f"{shown}{MASK}@{domain}"


@register.filter
def phone(value: str) -> str:
    if not value:
        return value
    try:
        number = phonenumbers.parse(value, "BE")
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
