"""The qualités an enterprise holds in the social security, registered by its GAP or a co-GAP
(as the real service does when an employer gets its NSSO number)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from access_managers import permissions
from access_managers.models import EnterpriseQuality
from access_managers.roles import roles_in
from csam_portal.core import audit
from enterprises.models import Enterprise, Quality


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
