"""Every change to registrations and access managers: a transaction, an audit record per change,
the e-mails through the outbox."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from access_managers import documents, permissions, selectors
from access_managers.models import (
    AccessManager,
    ExceptionalRequest,
    Procedure,
    Registration,
)
from csam_portal.core import audit, outbox, throttle
from csam_portal.core.converters import TICKET_ALPHABET
from csam_portal.models import OutboundEmail
from enterprises.models import Enterprise
from users.models import Person

Role = AccessManager.Role

# `seen_gap` when the caller does not know which GAP the requester saw (the demo's loader).
NOT_CHECKED = object()


def already_registered_error() -> ValidationError:
    return ValidationError(
        _("Cette entreprise est déjà enregistrée dans CSAM."), code="already_registered"
    )


def already_gap_error(*, is_requester: bool) -> ValidationError:
    if is_requester:
        return ValidationError(
            _(
                "Vous êtes déjà connu comme Gestionnaire d'Accès Principal pour cette entreprise. "
                "Vous pouvez désigner une autre personne comme Gestionnaire d'Accès Principal."
            ),
            code="already_gap",
        )
    return ValidationError(
        _("Cette personne est déjà Gestionnaire d'Accès Principal de cette entreprise."),
        code="already_gap",
    )


@transaction.atomic
def gap_designate(
    *,
    enterprise_number: str,
    requester: Person,
    person: Person,
    email: str,
    phone: str,
    requester_email: str = "",
    requester_phone: str = "",
    procedure: str = Procedure.STANDARD,
    seen_gap=NOT_CHECKED,
    token: str | None = None,
    actor: audit.Actor,
) -> AccessManager:
    """Register the enterprise in CSAM if it is not yet, and make `person` its GAP.

    Every rule is checked here again, under a lock on the enterprise row (two designations of
    one enterprise run one after the other): the requester is a legal representative today of
    the active enterprise; `person` is not its GAP already; the GAP is still the one the
    requester saw (`seen_gap`: the GAP's NISS, or None when it was not registered), so of two
    racing requests only the first designates. A request already carried out (same `token`, a
    double click on «Confirmer») returns its designation and changes nothing.

    The replaced GAP's term ends (it stays as history) and they are told by e-mail; a co-GAP who
    becomes GAP stops being co-GAP. The GAP gets the instructions by e-mail, the requester a copy
    when it is someone else. Raises ValidationError (nothing changed).
    """
    enterprise = permissions.enterprise_for_gap_designation(
        number=enterprise_number, niss=requester.niss, lock=True
    )
    if token:
        done = AccessManager.objects.filter(request_token=token).first()
        if done is not None:
            if (done.enterprise_id, done.designated_by_id) != (enterprise.number, requester.niss):
                raise ValidationError(_("Cette demande a déjà été traitée."), code="token_used")
            return done
    current = selectors.gap_current(enterprise_number=enterprise.number)
    if current is not None and current.person_id == person.niss:
        raise already_gap_error(is_requester=person.niss == requester.niss)
    if seen_gap is not NOT_CHECKED and (current.person_id if current else None) != seen_gap:
        raise already_registered_error()

    now = timezone.now()
    registration = Registration.objects.filter(enterprise=enterprise).first()
    if registration is None:
        registration = Registration(
            enterprise=enterprise, registered_at=now, registered_by=requester, procedure=procedure
        )
        registration.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                registration.save(force_insert=True)
        except IntegrityError:  # registered meanwhile by a request that took no lock
            raise already_registered_error() from None
        audit.record(actor, "registration_create", registration, after=registration)
    replaced_before = audit.snapshot(current)
    if current is not None:
        with audit.change(actor, "gap_end", current):
            current.ended_at = now
            current.save(update_fields=["ended_at"])
    promoted = AccessManager.objects.filter(
        enterprise=enterprise, person=person, role=Role.CO_GAP, ended_at=None
    ).first()
    if promoted is not None:
        with audit.change(actor, "co_gap_remove", promoted):
            promoted.ended_at = now
            promoted.save(update_fields=["ended_at"])

    gap = AccessManager(
        enterprise=enterprise,
        person=person,
        role=Role.GAP,
        email=email,
        phone=phone,
        started_at=now,
        designated_by=requester,
        procedure=procedure,
        requester_email=requester_email if requester != person else "",
        requester_phone=requester_phone if requester != person else "",
        request_token=token or "",
    )
    gap.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            gap.save(force_insert=True)
    except IntegrityError:  # the database's last word on "one current GAP"
        raise already_registered_error() from None
    audit.record(actor, "gap_designate", gap, before=replaced_before, after=gap)
    _gap_emails(gap=gap, enterprise=enterprise, replaced=current)
    return gap


def _gga_url(enterprise: Enterprise) -> str:
    return reverse("access_managers:enterprise", args=[enterprise.number])


def _gap_emails(
    *, gap: AccessManager, enterprise: Enterprise, replaced: AccessManager | None
) -> None:
    requester, person = gap.designated_by, gap.person
    language = selectors.person_language(person)
    context = {
        "enterprise_number": enterprise.formatted_number,
        "gga_path": _gga_url(enterprise),
        "gap_name": person.full_name,
        "requester_name": requester.full_name,
        "self_designated": requester.niss == person.niss,
    }
    outbox.enqueue(
        "access_managers/gap_designated",
        to=gap.email,
        language=language,
        enterprise_name=enterprise.name_in(language),
        **context,
    )
    if gap.requester_email and gap.requester_email != gap.email:
        language = selectors.person_language(requester)
        outbox.enqueue(
            "access_managers/gap_designated_copy",
            to=gap.requester_email,
            language=language,
            enterprise_name=enterprise.name_in(language),
            **context,
        )
    if replaced is not None:
        language = selectors.person_language(replaced.person)
        outbox.enqueue(
            "access_managers/gap_replaced",
            to=replaced.email,
            language=language,
            enterprise_name=enterprise.name_in(language),
            replaced_name=replaced.person.full_name,
            **context,
        )


def _lock_as_gap(*, enterprise: Enterprise, actor: audit.Actor) -> None:
    """Lock the enterprise and check, under the lock, that the actor still is its GAP: a GAP
    replaced a moment ago loses the right at once (access.md)."""
    Enterprise.objects.select_for_update().filter(number=enterprise.number).first()
    current = selectors.gap_current(enterprise_number=enterprise.number)
    if current is None or actor.user is None or current.person_id != actor.user.niss:
        raise ValidationError(
            _("Vous n'êtes plus Gestionnaire d'Accès Principal de cette entreprise."),
            code="not_gap",
        )


@transaction.atomic
def co_gap_add(
    *, enterprise: Enterprise, person: Person, email: str, phone: str = "", actor: audit.Actor
) -> AccessManager:
    """Name `person` co-GAP of the enterprise; they are told by e-mail.

    Refused (ValidationError) if they are its GAP or already a co-GAP of it.
    """
    _lock_as_gap(enterprise=enterprise, actor=actor)
    current = AccessManager.objects.filter(
        enterprise=enterprise, person=person, ended_at=None
    ).values_list("role", flat=True)
    if Role.GAP in current:
        raise ValidationError(
            _("Cette personne est déjà Gestionnaire d'Accès Principal de cette entreprise."),
            code="already_gap",
        )
    if Role.CO_GAP in current:
        raise ValidationError(
            _("Cette personne est déjà Co-Gestionnaire d'Accès Principal de cette entreprise."),
            code="already_co_gap",
        )
    term = AccessManager(
        enterprise=enterprise,
        person=person,
        role=Role.CO_GAP,
        email=email,
        phone=phone,
        designated_by=actor.user.person,
        procedure=Procedure.STANDARD,
    )
    term.full_clean(validate_constraints=False)
    term.save(force_insert=True)
    audit.record(actor, "co_gap_add", term, after=term)
    language = selectors.person_language(person)
    outbox.enqueue(
        "access_managers/co_gap_added",
        to=email,
        language=language,
        enterprise_name=enterprise.name_in(language),
        enterprise_number=enterprise.formatted_number,
        gga_path=_gga_url(enterprise),
        co_gap_name=person.full_name,
        gap_name=actor.user.person.full_name,
    )
    return term


@transaction.atomic
def co_gap_remove(*, enterprise: Enterprise, term_id: int, actor: audit.Actor) -> AccessManager:
    """End a co-GAP's term (it stays as history); they are told by e-mail.

    Raises ValidationError if the term is not a current co-GAP of the enterprise (removed
    meanwhile, or another enterprise's).
    """
    _lock_as_gap(enterprise=enterprise, actor=actor)
    term = (
        AccessManager.objects.select_for_update()
        .select_related("person")
        .filter(pk=term_id, enterprise=enterprise, role=Role.CO_GAP, ended_at=None)
        .first()
    )
    if term is None:
        raise ValidationError(
            _("Cette personne n'est plus Co-Gestionnaire d'Accès Principal de cette entreprise."),
            code="not_co_gap",
        )
    with audit.change(actor, "co_gap_remove", term):
        term.ended_at = timezone.now()
        term.save(update_fields=["ended_at"])
    language = selectors.person_language(term.person)
    outbox.enqueue(
        "access_managers/co_gap_removed",
        to=term.email,
        language=language,
        enterprise_name=enterprise.name_in(language),
        enterprise_number=enterprise.formatted_number,
        co_gap_name=term.person.full_name,
    )
    return term


def gap_tell_enterprise_removed(*, enterprise: Enterprise) -> None:
    """Tell the enterprise's GAP by e-mail that the register no longer lists it (the import's
    signal, enterprises.signals). Nothing else changes: the GAP, co-GAPs and history stay;
    nobody is its legal representative any more, so no other GAP can be designated."""
    gap = selectors.gap_current(enterprise_number=enterprise.number)
    if gap is None:
        return  # known to CSAM by a request only: nobody to tell
    language = selectors.person_language(gap.person)
    outbox.enqueue(
        "access_managers/enterprise_removed",
        to=gap.email,
        language=language,
        enterprise_name=enterprise.name_in(language),
        enterprise_number=enterprise.formatted_number,
        gap_name=gap.person.full_name,
        removed_on=enterprise.removed_from_register_on,
        gga_path=_gga_url(enterprise),
    )


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
    enterprise = permissions.enterprise_for_gap_designation(
        number=enterprise_number, niss=requester.niss, lock=True
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
        raise already_gap_error(is_requester=person.niss == requester.niss)
    if (current.person_id if current else None) != seen_gap:
        raise already_registered_error()
    is_self = person.niss == requester.niss
    request = ExceptionalRequest(
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
        request.ticket = ticket_new()
        request.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                request.save(force_insert=True)
        except IntegrityError:
            if ExceptionalRequest.objects.filter(ticket=request.ticket).exists():
                request.pk = None
                continue  # the ticket exists: draw another
            raise pending_request_error(  # a pending request committed meanwhile
                ExceptionalRequest.objects.filter(
                    enterprise=enterprise, status__in=ExceptionalRequest.PENDING
                ).first()
                or request
            ) from None
        break
    else:  # pragma: no cover - 31**11 tickets a year: five collisions in a row do not happen
        raise RuntimeError("no free ticket after five draws")
    audit.record(actor, "exceptional_request_create", request, after=request)
    _exceptional_receipt(request, resent=False)
    return request


def exceptional_document_url(request: ExceptionalRequest) -> str:
    """The absolute address of the request's document by its signed link, for e-mails."""
    token = permissions.exceptional_document_token(request)
    path = reverse("access_managers:exceptional_document_link", args=[token])
    return settings.PORTAL_URL + path


def _exceptional_receipt(request: ExceptionalRequest, *, resent: bool) -> OutboundEmail:
    """The requester's e-mail: the ticket, what to do with the paper and where it goes, until
    when, the signed link to the document and the status page."""
    enterprise = request.enterprise
    return outbox.enqueue(
        "access_managers/exceptional_receipt",
        to=request.requester_email,
        language=request.language,
        resent=resent,
        ticket=request.ticket,
        requester_name=request.requester.full_name,
        gap_name=request.gap.full_name,
        enterprise_name=enterprise.name_in(request.language),
        enterprise_number=enterprise.formatted_number,
        document_url=exceptional_document_url(request),
        status_path=reverse("access_managers:exceptional_status"),
        expires_at=request.expires_at,
        **documents.return_instructions(),
    )


@transaction.atomic
def exceptional_document_resend(
    *, request: ExceptionalRequest, actor: audit.Actor
) -> OutboundEmail:
    """E-mail the signed link to the request's document again («Recevoir à nouveau le
    document»), to the requester's address on file and nowhere else: whoever asks (anyone with
    the ticket and the enterprise number) learns nothing and sends nothing elsewhere.

    Only for a request still waiting for its signed paper, at most
    EXCEPTIONAL_RESENDS_PER_DAY times in 24 hours. Raises ValidationError (nothing sent).
    """
    request = ExceptionalRequest.objects.select_for_update().get(pk=request.pk)
    if not permissions.can_resend_exceptional_document(request):
        raise ValidationError(
            _(
                "Cette demande n'attend plus de document signé (%(status)s) : le document "
                "n'est plus envoyé."
            ),
            code="not_waiting",
            params={"status": request.get_status_display()},
        )
    counted = throttle.hit(
        "exceptional-resend",
        request.ticket,
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
    email = _exceptional_receipt(request, resent=True)
    audit.record(
        actor,
        "exceptional_document_resend",
        request,
        after={"recipient": email.recipient, "email": email.pk},
    )
    return email


def _locked_pending(request: ExceptionalRequest) -> ExceptionalRequest:
    locked = ExceptionalRequest.objects.select_for_update().get(pk=request.pk)
    if not locked.is_pending:
        raise ValidationError(
            _("La demande %(ticket)s a déjà été traitée (%(status)s)."),
            code="already_processed",
            params={"ticket": locked.ticket, "status": locked.get_status_display()},
        )
    return locked


@transaction.atomic
def exceptional_request_receive(
    *, request: ExceptionalRequest, scan=None, actor: audit.Actor
) -> ExceptionalRequest:
    """The signed document arrived (its scan optionally attached). Only a pending request."""
    request = _locked_pending(request)
    with audit.change(actor, "exceptional_request_receive", request):
        request.status = ExceptionalRequest.Status.RECEIVED
        request.received_at = request.received_at or timezone.now()
        if scan:
            request.scan.save(f"{request.ticket}-{scan.name}", scan, save=False)
        request.save()
    return request


@transaction.atomic
def exceptional_request_approve(
    *, request: ExceptionalRequest, actor: audit.Actor
) -> ExceptionalRequest:
    """Designate the GAP exactly as the standard procedure does (every rule checked again, the
    instructions e-mailed); then the request is approved and cannot be processed again. Only
    once the signed document was received."""
    request = _locked_pending(request)
    if request.status != ExceptionalRequest.Status.RECEIVED:
        raise ValidationError(
            _(
                "Le document signé de la demande %(ticket)s n'a pas encore été reçu : "
                "utilisez d'abord « Document signé reçu »."
            ),
            code="not_received",
            params={"ticket": request.ticket},
        )
    with audit.change(actor, "exceptional_request_approve", request):
        gap_designate(
            enterprise_number=request.enterprise_id,
            requester=request.requester,
            person=request.gap,
            email=request.gap_email,
            phone=request.gap_phone,
            requester_email=request.requester_email,
            requester_phone=request.requester_phone,
            procedure=Procedure.EXCEPTIONAL,
            seen_gap=request.seen_gap or None,
            token=f"exceptional-{request.ticket}",
            actor=actor,
        )
        request.status = ExceptionalRequest.Status.APPROVED
        request.decided_at = timezone.now()
        request.decided_by = actor.user
        request.save()
    return request


@transaction.atomic
def exceptional_request_reject(
    *, request: ExceptionalRequest, reason: str, actor: audit.Actor
) -> ExceptionalRequest:
    """Refuse the request; the reason is e-mailed to the requester, in their language."""
    if not reason.strip():
        raise ValidationError(_("Indiquez le motif du rejet."), code="reason_required")
    request = _locked_pending(request)
    with audit.change(actor, "exceptional_request_reject", request):
        request.status = ExceptionalRequest.Status.REJECTED
        request.decided_at = timezone.now()
        request.decided_by = actor.user
        request.rejection_reason = reason.strip()
        request.save()
    enterprise = request.enterprise
    outbox.enqueue(
        "access_managers/exceptional_rejected",
        to=request.requester_email,
        language=request.language,
        ticket=request.ticket,
        requester_name=request.requester.full_name,
        enterprise_name=enterprise.name_in(request.language),
        enterprise_number=enterprise.formatted_number,
        reason=request.rejection_reason,
    )
    return request


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
            request = ExceptionalRequest.objects.select_for_update().get(pk=pk)
            if request.status != ExceptionalRequest.Status.OPEN:
                continue
            with audit.change(actor, "exceptional_request_expire", request):
                request.status = ExceptionalRequest.Status.EXPIRED
                request.decided_at = timezone.now()
                request.save(update_fields=["status", "decided_at"])
            expired += 1
    return expired


def identity_check_allowed(*, ip: str | None) -> bool:
    """Count one anonymous look-up from `ip` (IPv6: its /64); False once the hour's allowance
    is spent, and then nothing is counted."""
    counted = throttle.hit(
        "exceptional-lookup",
        throttle.address(ip),
        limit=settings.EXCEPTIONAL_LOOKUPS_PER_HOUR,
        window=timedelta(hours=1),
    )
    return counted is not None
