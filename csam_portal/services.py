"""State changes of the portal's own pages: each in a transaction, audited, e-mails queued."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from csam_portal import audit, outbox
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
    """Record a question for the contact centre; if asked, e-mail the sender a copy."""
    contact = ContactMessage(
        name=name,
        email=email,
        enterprise_number=enterprise_number,
        subject=subject,
        message=message,
        language=language,
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
        before = audit.snapshot(contact)
        contact.status = ContactMessage.Status.CLOSED
        contact.closed_at = timezone.now()
        contact.save(update_fields=["status", "closed_at"])
        audit.record(actor, "contact_message_close", contact, before=before, after=contact)
        count += 1
    return count
