"""`{{ address|masked_email }}`: an e-mail address shown to someone who must not learn it
(m•••@example.be): enough for its owner to recognise it, not enough to write to it."""

from django import template

register = template.Library()

MASK = "•••"


@register.filter
def masked_email(value: str) -> str:
    local, at, domain = (value or "").rpartition("@")
    if not at:
        return MASK
    shown = local[:1] if len(local) > 1 else ""
    return f"{shown}{MASK}@{domain}"
