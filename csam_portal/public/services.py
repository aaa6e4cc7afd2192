"""State changes of the contact page: each in a transaction, audited, e-mails queued."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from csam_portal.core import audit, outbox, throttle
from csam_portal.models import ContactMessage


@transaction.atomic
def contact_message_create(
    *,
    name: str,
    email: str,
    enterprise_number: str,
    subject: str,
    message: str,
    send_copy: bool,
    language: str,
    actor: audit.Actor,
) -> ContactMessage:
    """Record a question for the contact centre; if asked, acknowledge it by e-mail.

    The acknowledgement carries the reference and nothing the sender typed, so the form cannot
    be used to mail someone else a text in the portal's name; and one address (IPv6: its /64)
    may send only CONTACT_MAX_PER_HOUR questions an hour, counted by the throttle, whose lock on
    the address is held until this transaction ends. Raises ValidationError (code "too_many").
    """
    allowed = throttle.hit(
        "contact",
        throttle.address(actor.ip),
        limit=settings.CONTACT_MAX_PER_HOUR,
        window=timedelta(hours=1),
    )
    if not allowed:
        refusal = _(
            "Plusieurs questions ont déjà été envoyées depuis votre connexion. "
            "Réessayez dans une heure, ou appelez le centre de contact."
        )
        raise ValidationError(refusal, code="too_many")
    contact = ContactMessage(
        name=name,
        email=email,
        enterprise_number=enterprise_number,
        subject=subject,
        message=message,
        language=language,
        ip=actor.ip,
    )
    contact.full_clean()
    contact.save()
    audit.record(actor, "contact_message_create", contact, after=contact)
    if send_copy:
        outbox.enqueue("csam_portal/contact_received", to=email, language=language, contact=contact)
    return contact


@transaction.atomic
def contact_message_close(*, messages: QuerySet[ContactMessage], actor: audit.Actor) -> int:
    """Mark questions as handled by the back office; return how many changed."""
    count = 0
    for contact in messages.select_for_update().filter(status=ContactMessage.Status.NEW):
        with audit.change(actor, "contact_message_close", contact):
            contact.status = ContactMessage.Status.CLOSED
            contact.closed_at = timezone.now()
            contact.save(update_fields=["status", "closed_at"])
        count += 1
    return count
