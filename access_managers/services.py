"""Every change to registrations and access managers: a transaction, an audit record per change,
the e-mails through the outbox."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from access_managers import permissions, selectors
from access_managers.models import AccessManager, Procedure, Registration
from csam_portal import audit, outbox
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
    if current is not None:
        before = audit.snapshot(current)
        current.ended_at = now
        current.save(update_fields=["ended_at"])
        audit.record(actor, "gap_end", current, before=before, after=current)
    promoted = AccessManager.objects.filter(
        enterprise=enterprise, person=person, role=Role.CO_GAP, ended_at=None
    ).first()
    if promoted is not None:
        before = audit.snapshot(promoted)
        promoted.ended_at = now
        promoted.save(update_fields=["ended_at"])
        audit.record(actor, "co_gap_remove", promoted, before=before, after=promoted)

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
    audit.record(actor, "gap_designate", gap, before=current, after=gap)
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


@transaction.atomic
def co_gap_add(
    *, enterprise: Enterprise, person: Person, email: str, phone: str = "", actor: audit.Actor
) -> AccessManager:
    """Name `person` co-GAP of the enterprise; they are told by e-mail.

    Refused (ValidationError) if they are its GAP or already a co-GAP of it.
    """
    Enterprise.objects.select_for_update().filter(number=enterprise.number).first()
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
    before = audit.snapshot(term)
    term.ended_at = timezone.now()
    term.save(update_fields=["ended_at"])
    audit.record(actor, "co_gap_remove", term, before=before, after=term)
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
