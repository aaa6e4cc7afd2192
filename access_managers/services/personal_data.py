"""A person's own addresses in a qualité of the social security («Données personnelles» of
flows.md §4): the «Adresse e-mail utilisateur» and «Adresse e-mail locale» of their membership."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from access_managers.models import AccessManager, EnterpriseQuality, QualityMembership
from csam_portal.core import audit

Role = AccessManager.Role


@transaction.atomic
def membership_addresses_set(
    *, membership: QualityMembership, email: str, local_email: str, actor: audit.Actor
) -> QualityMembership:
    """Change the addresses of the person's own membership of a qualité. A GL or co-GL of the
    qualité was named with that same «Adresse e-mail utilisateur» on their term, where the
    notices of their role are sent and «Qui gère nos accès ?» shows it: the term's address
    follows. One audit record per row changed; nothing is written if nothing changed.

    Raises ValidationError "membership_ended" if the membership ended meanwhile (the person
    was removed from the qualité): then nothing changes.
    """
    # The qualité's row first, as every change of its local managers locks it
    # (services.local_managers): the same order, so that neither waits on the other for ever.
    EnterpriseQuality.objects.select_for_update().only("pk").get(pk=membership.quality_id)
    current = (
        QualityMembership.objects.select_for_update()
        .filter(pk=membership.pk, ended_at=None)
        .first()
    )
    if current is None:
        raise ValidationError(
            _("Vous n'êtes plus utilisateur de cette qualité : rien n'a été modifié."),
            code="membership_ended",
        )
    if (current.email, current.local_email) == (email, local_email):
        return current
    with audit.change(actor, "membership_addresses_set", current):
        current.email = email
        current.local_email = local_email
        current.full_clean(validate_constraints=False)
        current.save(update_fields=["email", "local_email"])
    terms = AccessManager.objects.select_for_update().filter(
        quality_id=current.quality_id,
        person_id=current.person_id,
        role__in=[Role.GL, Role.CO_GL],
        ended_at=None,
    )
    for term in terms.exclude(email=email):
        with audit.change(actor, "local_manager_email_set", term):
            term.email = email
            term.full_clean(validate_constraints=False)
            term.save(update_fields=["email"])
    return current
