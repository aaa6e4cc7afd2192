"""The exceptional procedure: a GAP designation asked without a digital key, its receipt and
document, its processing by the back office (received, approved, rejected), its expiry, and the
limit on the procedure's anonymous look-ups."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from access_managers import document_links, documents, selectors
from access_managers.models import ExceptionalRequest, Procedure
from access_managers.services import designation
from csam_portal.core import audit, outbox, throttle
from csam_portal.core.converters import TICKET_ALPHABET
from csam_portal.models import OutboundEmail
from users.models import Person


def ticket_new() -> str:
    """A ticket such as 26A6HMZPQRCZ7 (the shape of the URLs' `<ticket:…>`), from the system's
    cryptographic random source."""
    year = timezone.localdate().strftime("%y")
    return year + "".join(secrets.choice(TICKET_ALPHABET) for _ in range(11))


def pending_request_error(pending: ExceptionalRequest) -> ValidationError:
    return ValidationError(
        _(
            "Une demande exceptionnelle est déjà en cours pour cette entreprise depuis le "
            "%(date)s. Attendez qu'elle soit traitée par le Centre de Contact avant d'en "
            "introduire une nouvelle."
        ),
        code="pending_request",
        params={"date": formats.date_format(timezone.localtime(pending.created_at))},
    )


@transaction.atomic
def exceptional_request_create(
    *,
    enterprise_number: str,
    requester: Person,
    person: Person,
    email: str,
    phone: str,
    requester_email: str = "",
    requester_phone: str = "",
    seen_gap: str | None,
    language: str,
    token: str = "",
    actor: audit.Actor,
) -> ExceptionalRequest:
    """Record a GAP designation asked without a digital key; nothing is designated yet.

    The same rules as the standard procedure (legal representative today of the active
    enterprise, not the current GAP again, the GAP still the one seen), and one pending request
    per enterprise. The ticket is random; a collision is retried. The requester is e-mailed a
    receipt in the request's language: the ticket, what to do with the paper, and the signed
    link to the document. Raises ValidationError.
    """
    enterprise = designation.enterprise_locked_for_designation(
        enterprise_number=enterprise_number, niss=requester.niss
    )
    if token:
        done = ExceptionalRequest.objects.filter(request_token=token).first()
        if done is not None and done.enterprise_id == enterprise.number:
            return done
    pending = ExceptionalRequest.objects.filter(
        enterprise=enterprise, status__in=ExceptionalRequest.PENDING
    ).first()
    if pending is not None:
        raise pending_request_error(pending)
    current = selectors.gap_current(enterprise_number=enterprise.number)
    if current is not None and current.person_id == person.niss:
        raise designation.already_gap_error(is_requester=person.niss == requester.niss)
    if (current.person_id if current else None) != seen_gap:
        raise designation.already_registered_error()
    is_self = person.niss == requester.niss
    exceptional = ExceptionalRequest(
        enterprise=enterprise,
        requester=requester,
        requester_email=email if is_self else requester_email,
        requester_phone=phone if is_self else requester_phone,
        gap=person,
        gap_email=email,
        gap_phone=phone,
        seen_gap=seen_gap or "",
        request_token=token,
        language=language,
    )
    for _attempt in range(5):
        exceptional.ticket = ticket_new()
        exceptional.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                exceptional.save(force_insert=True)
        except IntegrityError:
            if ExceptionalRequest.objects.filter(ticket=exceptional.ticket).exists():
                exceptional.pk = None
                continue  # the ticket exists: draw another
            raise pending_request_error(  # a pending request committed meanwhile
                ExceptionalRequest.objects.filter(
                    enterprise=enterprise, status__in=ExceptionalRequest.PENDING
                ).first()
                or exceptional
            ) from None
        break
    else:  # pragma: no cover - 31**11 tickets a year: five collisions in a row do not happen
        raise RuntimeError("no free ticket after five draws")
    audit.record(actor, "exceptional_request_create", exceptional, after=exceptional)
    _exceptional_receipt(exceptional, resent=False)
    return exceptional


def exceptional_document_url(exceptional: ExceptionalRequest) -> str:
    """The absolute address of the request's document by its signed link, for e-mails."""
    token = document_links.exceptional_document_token(exceptional)
    path = reverse("access_managers:exceptional_document_link", args=[token])
    return settings.PORTAL_URL + path


def _exceptional_receipt(exceptional: ExceptionalRequest, *, resent: bool) -> OutboundEmail:
    """The requester's e-mail: the ticket, what to do with the paper and where it goes, until
    when, the signed link to the document and the status page."""
    enterprise = exceptional.enterprise
    return outbox.enqueue(
        "access_managers/exceptional_receipt",
        to=exceptional.requester_email,
        language=exceptional.language,
        resent=resent,
        ticket=exceptional.ticket,
        requester_name=exceptional.requester.full_name,
        gap_name=exceptional.gap.full_name,
        enterprise_name=enterprise.name_in(exceptional.language),
        enterprise_number=enterprise.formatted_number,
        document_url=exceptional_document_url(exceptional),
        status_path=reverse("access_managers:exceptional_status"),
        expires_at=exceptional.expires_at,
        **documents.return_instructions(),
    )


@transaction.atomic
def exceptional_document_resend(
    *, exceptional: ExceptionalRequest, actor: audit.Actor
) -> OutboundEmail:
    """E-mail the signed link to the request's document again («Recevoir à nouveau le
    document»), to the requester's address on file and nowhere else: whoever asks (anyone with
    the ticket and the enterprise number) learns nothing and sends nothing elsewhere.

    Only for a request still waiting for its signed paper, at most
    EXCEPTIONAL_RESENDS_PER_DAY times in 24 hours. Raises ValidationError (nothing sent).
    """
    exceptional = ExceptionalRequest.objects.select_for_update().get(pk=exceptional.pk)
    if not exceptional.document_resendable:
        raise ValidationError(
            _(
                "Cette demande n'attend plus de document signé (%(status)s) : le document "
                "n'est plus envoyé."
            ),
            code="not_waiting",
            params={"status": exceptional.get_status_display()},
        )
    counted = throttle.hit(
        "exceptional-resend",
        exceptional.ticket,
        limit=settings.EXCEPTIONAL_RESENDS_PER_DAY,
        window=timedelta(days=1),
    )
    if counted is None:
        raise ValidationError(
            _(
                "Trop de demandes d'envoi pour cette demande aujourd'hui. Réessayez demain, ou "
                "contactez le Centre de Contact."
            ),
            code="too_many_resends",
        )
    email = _exceptional_receipt(exceptional, resent=True)
    audit.record(
        actor,
        "exceptional_document_resend",
        exceptional,
        after={"recipient": email.recipient, "email": email.pk},
    )
    return email


def _locked_pending(exceptional: ExceptionalRequest) -> ExceptionalRequest:
    locked = ExceptionalRequest.objects.select_for_update().get(pk=exceptional.pk)
    if not locked.is_pending:
        raise ValidationError(
            _("La demande %(ticket)s a déjà été traitée (%(status)s)."),
            code="already_processed",
            params={"ticket": locked.ticket, "status": locked.get_status_display()},
        )
    return locked


@transaction.atomic
def exceptional_request_receive(
    *, exceptional: ExceptionalRequest, scan=None, actor: audit.Actor
) -> ExceptionalRequest:
    """The signed document arrived (its scan optionally attached). Only a pending request."""
    exceptional = _locked_pending(exceptional)
    with audit.change(actor, "exceptional_request_receive", exceptional):
        exceptional.status = ExceptionalRequest.Status.RECEIVED
        exceptional.received_at = exceptional.received_at or timezone.now()
        if scan:
            exceptional.scan.save(f"{exceptional.ticket}-{scan.name}", scan, save=False)
        exceptional.save()
    return exceptional


@transaction.atomic
def exceptional_request_approve(
    *, exceptional: ExceptionalRequest, actor: audit.Actor
) -> ExceptionalRequest:
    """Designate the GAP exactly as the standard procedure does (every rule checked again, the
    instructions e-mailed); then the request is approved and cannot be processed again. Only
    once the signed document was received."""
    exceptional = _locked_pending(exceptional)
    if exceptional.status != ExceptionalRequest.Status.RECEIVED:
        raise ValidationError(
            _(
                "Le document signé de la demande %(ticket)s n'a pas encore été reçu : "
                "utilisez d'abord « Document signé reçu »."
            ),
            code="not_received",
            params={"ticket": exceptional.ticket},
        )
    with audit.change(actor, "exceptional_request_approve", exceptional):
        designation.gap_designate(
            enterprise_number=exceptional.enterprise_id,
            requester=exceptional.requester,
            person=exceptional.gap,
            email=exceptional.gap_email,
            phone=exceptional.gap_phone,
            requester_email=exceptional.requester_email,
            requester_phone=exceptional.requester_phone,
            procedure=Procedure.EXCEPTIONAL,
            seen_gap=exceptional.seen_gap or None,
            token=f"exceptional-{exceptional.ticket}",
            actor=actor,
        )
        exceptional.status = ExceptionalRequest.Status.APPROVED
        exceptional.decided_at = timezone.now()
        exceptional.decided_by = actor.user
        exceptional.save()
    return exceptional


@transaction.atomic
def exceptional_request_reject(
    *, exceptional: ExceptionalRequest, reason: str, actor: audit.Actor
) -> ExceptionalRequest:
    """Refuse the request; the reason is e-mailed to the requester, in their language."""
    if not reason.strip():
        raise ValidationError(_("Indiquez le motif du rejet."), code="reason_required")
    exceptional = _locked_pending(exceptional)
    with audit.change(actor, "exceptional_request_reject", exceptional):
        exceptional.status = ExceptionalRequest.Status.REJECTED
        exceptional.decided_at = timezone.now()
        exceptional.decided_by = actor.user
        exceptional.rejection_reason = reason.strip()
        exceptional.save()
    enterprise = exceptional.enterprise
    outbox.enqueue(
        "access_managers/exceptional_rejected",
        to=exceptional.requester_email,
        language=exceptional.language,
        ticket=exceptional.ticket,
        requester_name=exceptional.requester.full_name,
        enterprise_name=enterprise.name_in(exceptional.language),
        enterprise_number=enterprise.formatted_number,
        reason=exceptional.rejection_reason,
    )
    return exceptional


def exceptional_requests_expire(*, actor: audit.Actor) -> int:
    """Requests still waiting for their signed document after EXCEPTIONAL_REQUEST_EXPIRY_DAYS
    expire (periodic task); one whose document arrived waits for the back office."""
    limit = timezone.now() - timedelta(days=settings.EXCEPTIONAL_REQUEST_EXPIRY_DAYS)
    expired = 0
    stale = ExceptionalRequest.objects.filter(
        status=ExceptionalRequest.Status.OPEN, created_at__lt=limit
    ).values_list("pk", flat=True)
    for pk in stale:
        with transaction.atomic():
            exceptional = ExceptionalRequest.objects.select_for_update().get(pk=pk)
            if exceptional.status != ExceptionalRequest.Status.OPEN:
                continue
            with audit.change(actor, "exceptional_request_expire", exceptional):
                exceptional.status = ExceptionalRequest.Status.EXPIRED
                exceptional.decided_at = timezone.now()
                exceptional.save(update_fields=["status", "decided_at"])
            expired += 1
    return expired


def identity_lookup_record(*, ip: str | None) -> bool:
    """Record one anonymous look-up of the exceptional procedure from `ip` (IPv6: its /64) and
    answer whether it was within the hour's allowance; once the allowance is spent, False and
    nothing is recorded."""
    counted = throttle.hit(
        "exceptional-lookup",
        throttle.address(ip),
        limit=settings.EXCEPTIONAL_LOOKUPS_PER_HOUR,
        window=timedelta(hours=1),
    )
    return counted is not None
