"""The co-GAPs an enterprise's GAP names and removes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access_managers import selectors
from access_managers.models import AccessManager, Procedure
from access_managers.services import designation
from csam_portal.core import audit, outbox
from enterprises.models import Enterprise
from users import selectors as user_selectors
from users.models import Person

Role = AccessManager.Role


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
    language = user_selectors.person_language(person)
    outbox.enqueue(
        "access_managers/co_gap_added",
        to=email,
        language=language,
        enterprise_name=enterprise.name_in(language),
        enterprise_number=enterprise.formatted_number,
        gga_path=designation.gga_path(enterprise),
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
    language = user_selectors.person_language(term.person)
    outbox.enqueue(
        "access_managers/co_gap_removed",
        to=term.email,
        language=language,
        enterprise_name=enterprise.name_in(language),
        enterprise_number=enterprise.formatted_number,
        co_gap_name=term.person.full_name,
    )
    return term
