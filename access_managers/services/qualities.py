"""The qualités an enterprise holds in the social security, registered by its GAP or a co-GAP
(as the real service does when an employer gets its NSSO number)."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from access_managers import permissions
from access_managers.models import EnterpriseQuality
from access_managers.roles import Roles, roles_in
from csam_portal.core import audit, outbox
from enterprises.models import Enterprise, Quality


def quality_locked(
    quality: EnterpriseQuality,
    actor: audit.Actor,
    *,
    can: Callable[[Roles, EnterpriseQuality], bool],
    refusal: str,
) -> EnterpriseQuality:
    """The qualité's row, locked (with its enterprise and type), once `can` (a permission of
    access_managers.permissions) says, under the lock, that the actor may still act on it: a
    GAP replaced a moment ago, a GA or a GL removed, may not. Every change of a qualité, its
    local managers or its users takes this lock first, so that none waits on another for ever.

    Raises ValidationError "not_allowed" (with `refusal`) otherwise.
    """
    locked = (
        EnterpriseQuality.objects.select_for_update(of=("self",))
        .select_related("enterprise", "quality")
        .get(pk=quality.pk)
    )
    niss = actor.user.niss if actor.user else None
    if not can(roles_in(niss=niss, enterprise_number=locked.enterprise_id), locked):
        raise ValidationError(refusal, code="not_allowed")
    return locked


def identifier_normalise(identifier: str) -> str:
    """An identifier as typed, without its spaces and dots («1234567-89», «0123456789»)."""
    return re.sub(r"[\s.]", "", identifier or "")


@transaction.atomic
def quality_register(
    *, enterprise: Enterprise, quality: Quality, identifier: str, actor: audit.Actor
) -> EnterpriseQuality:
    """Register the qualité `quality` (a type of the catalogue) with its `identifier` for the
    enterprise.

    Raises ValidationError: "not_allowed" if the actor is no longer its GAP or a co-GAP (checked
    under the enterprise's lock), "invalid_identifier" if the identifier does not have the form
    the catalogue gives, "quality_taken" if that qualité is registered with that identifier
    already (by this enterprise or another one).
    """
    Enterprise.objects.select_for_update().filter(number=enterprise.number).first()
    roles = roles_in(niss=actor.user.niss if actor.user else None, enterprise_number=enterprise.pk)
    if not permissions.can_register_quality(roles, enterprise):
        raise ValidationError(
            _("Vous ne pouvez pas enregistrer de qualité pour cette entreprise."),
            code="not_allowed",
        )
    identifier = identifier_normalise(identifier)
    if not re.fullmatch(quality.identifier_pattern, identifier):
        raise ValidationError(
            _("Cet identifiant n'a pas la forme attendue pour la qualité « %(quality)s ».")
            % {"quality": quality.name},
            code="invalid_identifier",
        )
    if EnterpriseQuality.objects.filter(quality=quality, identifier=identifier).exists():
        raise ValidationError(
            _("Cette qualité est déjà enregistrée avec cet identifiant."), code="quality_taken"
        )
    registered = EnterpriseQuality(
        enterprise=enterprise,
        quality=quality,
        identifier=identifier,
        registered_by=actor.user.person,
    )
    registered.full_clean(validate_constraints=False)
    registered.save(force_insert=True)
    audit.record(actor, "quality_register", registered, after=registered)
    return registered


@transaction.atomic
def quality_contact_set(
    *, quality: EnterpriseQuality, email: str, phone: str, language: str, actor: audit.Actor
) -> bool:
    """Change where the social security writes or calls about the qualité, and in which
    language («Consulter ou modifier le détail de la qualité»); whether anything changed.

    The new address is told it is the qualité's contact now, and a former one that it is no
    longer (both in the contact language). Nothing is written when nothing changed.

    Raises ValidationError "not_allowed" if the actor no longer manages the qualité's users
    (checked under the qualité's lock, as every change of its users is).
    """
    locked = quality_locked(
        quality,
        actor,
        can=permissions.can_manage_quality_users,
        refusal=_("Vous ne pouvez pas modifier les données de cette qualité."),
    )
    former = locked.contact_email
    before = audit.snapshot(locked)
    locked.contact_email, locked.contact_phone = email, phone
    locked.contact_language = language
    if audit.snapshot(locked) == before:
        return False
    locked.full_clean(validate_constraints=False)
    locked.save(update_fields=["contact_email", "contact_phone", "contact_language"])
    audit.record(actor, "quality_contact_set", locked, before=before, after=audit.snapshot(locked))
    if email and email != former:
        _contact_notice(locked, email, actor, former=False)
    if former and former != email:
        _contact_notice(locked, former, actor, former=True)
    return True


def _contact_notice(quality: EnterpriseQuality, to: str, actor: audit.Actor, *, former: bool):
    language = quality.contact_language or "fr"
    outbox.enqueue(
        "access_managers/quality_contact_set",
        to=to,
        language=language,
        former=former,
        actor_name=actor.user.person.full_name if actor.user else actor.label,
        enterprise_name=quality.enterprise.name_in(language),
        enterprise_number=quality.enterprise.formatted_number,
        quality_name=getattr(quality.quality, f"name_{language}", "") or quality.quality.name_fr,
        identifier=quality.identifier,
        quality_id=quality.pk,
    )
