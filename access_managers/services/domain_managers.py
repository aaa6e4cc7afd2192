"""The GAs of an enterprise, per domain, and their addresses: the GAP and co-GAPs designate and
remove them (flows.md §3). The GAP is GA of every domain by default: no term says so."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access_managers import permissions, selectors
from access_managers.models import AccessManager, ManagerEmail, Procedure
from access_managers.roles import roles_in
from access_managers.services import designation
from csam_portal.core import audit, outbox
from enterprises.models import Domain, Enterprise
from users import selectors as user_selectors
from users.models import Person

Role = AccessManager.Role


@dataclass(frozen=True)
class Done:
    """What a change made, and the addresses it e-mailed (none: the person has no address)."""

    obj: AccessManager | ManagerEmail
    told: list[str] = field(default_factory=list)


def _lock_as_manager(*, enterprise: Enterprise, actor: audit.Actor) -> None:
    """Lock the enterprise and check, under the lock, that the actor still is its GAP or a
    co-GAP: one replaced or removed a moment ago has lost the right."""
    Enterprise.objects.select_for_update().filter(number=enterprise.number).first()
    niss = actor.user.niss if actor.user is not None else None
    roles = roles_in(niss=niss, enterprise_number=enterprise.number)
    if not permissions.can_manage_domain_managers(roles, enterprise):
        raise ValidationError(
            _(
                "Vous n'êtes plus Gestionnaire d'Accès Principal ni Co-Gestionnaire d'Accès "
                "Principal de cette entreprise."
            ),
            code="not_manager",
        )


def _current_ga(*, enterprise: Enterprise, term_id: int) -> AccessManager:
    term = (
        AccessManager.objects.select_for_update(of=("self",))
        .select_related("person", "domain")
        .filter(pk=term_id, enterprise=enterprise, role=Role.GA, ended_at=None)
        .first()
    )
    if term is None:
        raise ValidationError(
            _("Cette personne n'est plus Gestionnaire d'Accès de ce domaine."), code="not_ga"
        )
    return term


def _current_email(*, enterprise: Enterprise, email_id: int) -> ManagerEmail:
    address = (
        ManagerEmail.objects.select_for_update(of=("self",))
        .select_related("term__person", "term__domain")
        .filter(pk=email_id, term__enterprise=enterprise, term__role=Role.GA, term__ended_at=None)
        .first()
    )
    if address is None:
        raise ValidationError(_("Cette adresse e-mail n'est plus enregistrée."), code="email_gone")
    return address


def _refuse_twice(term: AccessManager, email: str, *, but: ManagerEmail | None = None) -> None:
    others = term.emails.exclude(pk=but.pk) if but is not None else term.emails.all()
    if others.filter(email__iexact=email).exists():
        raise ValidationError(_("Cette adresse e-mail est déjà enregistrée."), code="email_exists")


def _tell(
    template: str, *, term: AccessManager, enterprise: Enterprise, also: str = "", **context
) -> list[str]:
    """E-mail the GA of `term` at their GA addresses (and `also`), else at their account's
    address; the addresses written to (none if the person has no address at all)."""
    to = list(term.emails.values_list("email", flat=True))
    if also and also not in to:
        to.append(also)
    if not to:
        account = getattr(term.person, "account", None)
        to = [account.email] if account is not None and account.email else []
    language = user_selectors.person_language(term.person)
    for address in to:
        outbox.enqueue(
            f"access_managers/{template}",
            to=address,
            language=language,
            enterprise_name=enterprise.name_in(language),
            enterprise_number=enterprise.formatted_number,
            ga_name=term.person.full_name,
            domain_name=getattr(term.domain, f"name_{language[:2]}", "") or term.domain.name_fr,
            gga_path=designation.gga_path(enterprise),
            addresses=list(term.emails.values_list("email", flat=True)),
            **context,
        )
    return to


@transaction.atomic
def ga_add(*, enterprise: Enterprise, domain: Domain, person: Person, actor: audit.Actor) -> Done:
    """Designate `person` GA of `domain` for the enterprise; they are told by e-mail.

    Refused (ValidationError) if they are its GAP (GA of every domain already) or already GA of
    the domain.
    """
    _lock_as_manager(enterprise=enterprise, actor=actor)
    gap = selectors.gap_current(enterprise_number=enterprise.number)
    if gap is not None and gap.person_id == person.niss:
        raise ValidationError(
            _(
                "Cette personne est Gestionnaire d'Accès Principal : elle est déjà Gestionnaire "
                "d'Accès de chaque domaine."
            ),
            code="gap_is_ga",
        )
    if AccessManager.objects.filter(
        enterprise=enterprise, domain=domain, person=person, role=Role.GA, ended_at=None
    ).exists():
        raise ValidationError(
            _("Cette personne est déjà Gestionnaire d'Accès de ce domaine."), code="already_ga"
        )
    term = AccessManager(
        enterprise=enterprise,
        person=person,
        role=Role.GA,
        domain=domain,
        designated_by=actor.user.person,
        procedure=Procedure.STANDARD,
    )
    term.full_clean(validate_constraints=False)
    term.save(force_insert=True)
    audit.record(actor, "ga_add", term, after=term)
    told = _tell(
        "ga_designated",
        term=term,
        enterprise=enterprise,
        designated_by_name=actor.user.person.full_name,
    )
    return Done(term, told)


@transaction.atomic
def ga_remove(*, enterprise: Enterprise, term_id: int, actor: audit.Actor) -> Done:
    """End a GA's term (it and its addresses stay as history); they are told by e-mail."""
    _lock_as_manager(enterprise=enterprise, actor=actor)
    term = _current_ga(enterprise=enterprise, term_id=term_id)
    with audit.change(actor, "ga_remove", term):
        term.ended_at = timezone.now()
        term.save(update_fields=["ended_at"])
    return Done(term, _tell("ga_removed", term=term, enterprise=enterprise))


@transaction.atomic
def ga_email_add(*, enterprise: Enterprise, term_id: int, email: str, actor: audit.Actor) -> Done:
    """Give a GA one more address; they are told at all their addresses."""
    _lock_as_manager(enterprise=enterprise, actor=actor)
    term = _current_ga(enterprise=enterprise, term_id=term_id)
    _refuse_twice(term, email)
    address = ManagerEmail(term=term, email=email)
    address.full_clean(validate_constraints=False)
    address.save(force_insert=True)
    audit.record(actor, "ga_email_add", address, after=address)
    return Done(address, _tell("ga_addresses_changed", term=term, enterprise=enterprise))


@transaction.atomic
def ga_email_change(
    *, enterprise: Enterprise, email_id: int, email: str, actor: audit.Actor
) -> Done:
    """Change a GA's address; they are told at their addresses and at the one replaced."""
    _lock_as_manager(enterprise=enterprise, actor=actor)
    address = _current_email(enterprise=enterprise, email_id=email_id)
    _refuse_twice(address.term, email, but=address)
    replaced = address.email
    with audit.change(actor, "ga_email_change", address):
        address.email = email
        address.full_clean(validate_constraints=False)
        address.save(update_fields=["email"])
    told = _tell("ga_addresses_changed", term=address.term, enterprise=enterprise, also=replaced)
    return Done(address, told)


@transaction.atomic
def ga_email_remove(*, enterprise: Enterprise, email_id: int, actor: audit.Actor) -> Done:
    """Delete a GA's address; they are told at their addresses and at the one deleted."""
    _lock_as_manager(enterprise=enterprise, actor=actor)
    address = _current_email(enterprise=enterprise, email_id=email_id)
    term, removed = address.term, address.email
    audit.record(actor, "ga_email_remove", address, before=address)
    address.delete()
    told = _tell("ga_addresses_changed", term=term, enterprise=enterprise, also=removed)
    return Done(ManagerEmail(term=term, email=removed), told)
