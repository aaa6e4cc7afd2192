"""`{{ number|phone }}`: a stored E.164 number as people read it (+32 2 512 34 56)."""

import phonenumbers
from django import template

register = template.Library()


@register.filter
def phone(value: str) -> str:
    if not value:
        return value
    try:
        number = phonenumbers.parse(value, "BE")
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
