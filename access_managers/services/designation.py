"""The GAP's designation by the standard procedure (and by the exceptional one, once approved):
the registration in CSAM, the replaced GAP's term, the e-mails; the notice of an enterprise the
register no longer lists."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from access_managers import selectors
from access_managers.models import AccessManager, Procedure, Registration
from csam_portal.core import audit, outbox
from enterprises import selectors as enterprise_selectors
from enterprises.models import Enterprise
from users import selectors as user_selectors
from users.models import Person

Role = AccessManager.Role


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


def gap_designation_check(*, enterprise_number: str, niss: str) -> None:
    """Whether `niss` may register the enterprise and give it a GAP: it exists, it is active, and
    `niss` holds a legal function in it valid today. Reads only: the wizards ask it so that
    screen 1 says a refusal (flows.md §1, §2); gap_designate and exceptional_request_create
    enforce it under their lock (`enterprise_locked_for_designation`).

    Raises ValidationError saying which condition fails.
    """
    _legal_representative_rule(
        Enterprise.objects.filter(number=enterprise_number).first(), enterprise_number, niss
    )


def enterprise_locked_for_designation(*, enterprise_number: str, niss: str) -> Enterprise:
    """The enterprise `niss` designates a GAP of, its row locked until the caller's transaction
    ends (two designations of one enterprise run one after the other), once the rule of
    `gap_designation_check` holds under that lock. Raises ValidationError as it does."""
    enterprise = Enterprise.objects.select_for_update().filter(number=enterprise_number).first()
    _legal_representative_rule(enterprise, enterprise_number, niss)
    return enterprise


def _legal_representative_rule(enterprise: Enterprise | None, number: str, niss: str) -> None:
    if enterprise is None:
        raise ValidationError(
            _("Ce numéro d'entreprise n'est pas connu de la Banque-Carrefour des Entreprises."),
            code="unknown_enterprise",
        )
    if not enterprise.is_active:
        raise ValidationError(
            _(
                "Cette entreprise n'est pas active dans la Banque-Carrefour des Entreprises : "
                "elle ne peut pas être enregistrée dans CSAM."
            ),
            code="enterprise_not_active",
        )
    if not enterprise_selectors.legal_functions_valid_today(
        niss=niss, enterprise_number=number
    ).exists():
        raise ValidationError(
            _(
                "Vous n'exercez pas aujourd'hui de fonction légale dans cette entreprise selon la "
                "Banque-Carrefour des Entreprises. Seul un représentant légal peut l'enregistrer "
                "dans CSAM."
            ),
            code="not_legal_representative",
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
    seen_gap: str | None,
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
    enterprise = enterprise_locked_for_designation(
        enterprise_number=enterprise_number, niss=requester.niss
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
    if (current.person_id if current else None) != seen_gap:
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


def gga_path(enterprise: Enterprise) -> str:
    """The path of the enterprise's access managers' page, for e-mails."""
    return reverse("access_managers:enterprise", args=[enterprise.number])


def _gap_emails(
    *, gap: AccessManager, enterprise: Enterprise, replaced: AccessManager | None
) -> None:
    requester, person = gap.designated_by, gap.person
    language = user_selectors.person_language(person)
    context = {
        "enterprise_number": enterprise.formatted_number,
        "gga_path": gga_path(enterprise),
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
        language = user_selectors.person_language(requester)
        outbox.enqueue(
            "access_managers/gap_designated_copy",
            to=gap.requester_email,
            language=language,
            enterprise_name=enterprise.name_in(language),
            **context,
        )
    if replaced is not None:
        language = user_selectors.person_language(replaced.person)
        outbox.enqueue(
            "access_managers/gap_replaced",
            to=replaced.email,
            language=language,
            enterprise_name=enterprise.name_in(language),
            replaced_name=replaced.person.full_name,
            **context,
        )


def gap_tell_enterprise_removed(*, enterprise: Enterprise) -> None:
    """Tell the enterprise's GAP by e-mail that the register no longer lists it (the import's
    signal, enterprises.signals). Nothing else changes: the GAP, co-GAPs and history stay;
    nobody is its legal representative any more, so no other GAP can be designated."""
    gap = selectors.gap_current(enterprise_number=enterprise.number)
    if gap is None:
        return  # known to CSAM by a request only: nobody to tell
    language = user_selectors.person_language(gap.person)
    outbox.enqueue(
        "access_managers/enterprise_removed",
        to=gap.email,
        language=language,
        enterprise_name=enterprise.name_in(language),
        enterprise_number=enterprise.formatted_number,
        gap_name=gap.person.full_name,
        removed_on=enterprise.removed_from_register_on,
        gga_path=gga_path(enterprise),
    )
