"""The local managers of a qualité: its GL (changed, never removed) and its co-GLs, named by the
GAP, a co-GAP or a GA of the social-security domain (flows.md §3 a–c).

The GL and the co-GLs are also users of the qualité: each holds a `QualityMembership` with their
e-mail addresses and the secured applications chosen for them. Every change locks the
`EnterpriseQuality` row and checks the actor's right again under the lock; the database's
constraints (one current GL per qualité, one local-manager term per person and qualité) hold
whatever a race does.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access_managers import permissions
from access_managers.models import (
    AccessManager,
    EnterpriseQuality,
    MembershipApplication,
    Procedure,
    QualityMembership,
)
from access_managers.services import qualities
from csam_portal.core import audit, outbox
from enterprises.models import SecuredApplication
from users import selectors as user_selectors
from users.models import Person, User
from users.services import accounts

Role = AccessManager.Role


def _lock(quality: EnterpriseQuality, actor: audit.Actor) -> EnterpriseQuality:
    """Lock the qualité and check, under the lock, that the actor may still manage its local
    managers (a GAP replaced a moment ago, a GA removed, may not)."""
    return qualities.quality_locked(
        quality,
        actor,
        can=permissions.can_manage_local_managers,
        refusal=_("Vous ne pouvez pas gérer les Gestionnaires Locaux de cette qualité."),
    )


def _account(*, person: Person, username: str, email: str, actor: audit.Actor) -> User:
    """The person's account; created with `username` (and no password: they log in with a
    digital key) if they have none yet, given `username` if it has none."""
    account = User.objects.filter(person=person).first()
    if account is not None and not account.username:
        return accounts.account_username_set(account=account, username=username, actor=actor)
    if account is not None:
        return account
    return accounts.account_create(
        person=person,
        username=username,
        password_hash=make_password(None),
        email=email,
        actor=actor,
    )


def applications_check(quality: EnterpriseQuality, applications: Iterable) -> list:
    """The chosen applications, each one an application of the qualité's type."""
    chosen = list(applications)
    allowed = set(
        SecuredApplication.objects.filter(qualities=quality.quality_id).values_list("pk", flat=True)
    )
    if any(application.pk not in allowed for application in chosen):
        raise ValidationError(
            _("Une application choisie n'est pas une application de cette qualité."),
            code="invalid_application",
        )
    return chosen


def _membership_set(
    *,
    quality: EnterpriseQuality,
    person: Person,
    email: str,
    local_email: str,
    applications: list,
    actor: audit.Actor,
) -> QualityMembership:
    """The person's current membership of the qualité, made or updated: active, with these
    addresses and exactly these applications."""
    membership = (
        QualityMembership.objects.select_for_update()
        .filter(quality=quality, person=person, ended_at=None)
        .first()
    )
    if membership is None:
        membership = QualityMembership(
            quality=quality, person=person, designated_by=actor.user.person
        )
    membership.email = email
    membership.local_email = local_email
    membership.status = QualityMembership.Status.ACTIVE
    membership.full_clean(validate_constraints=False)
    membership.save()
    chosen = {application.pk for application in applications}
    granted = set(membership.granted_applications.values_list("application_id", flat=True))
    membership.granted_applications.exclude(application_id__in=chosen).delete()
    MembershipApplication.objects.bulk_create(
        MembershipApplication(
            membership=membership, application_id=pk, granted_by=actor.user.person
        )
        for pk in sorted(chosen - granted)
    )
    return membership


def _notify(template: str, *, term: AccessManager, quality: EnterpriseQuality, to: str) -> None:
    language = user_selectors.person_language(term.person)
    outbox.enqueue(
        f"access_managers/{template}",
        to=to,
        language=language,
        person_name=term.person.full_name,
        role=term.role,
        enterprise_name=quality.enterprise.name_in(language),
        enterprise_number=quality.enterprise.formatted_number,
        quality_code=quality.quality.code,
        quality_name=getattr(quality.quality, f"name_{language}", "") or quality.quality.name_fr,
        identifier=quality.identifier,
    )


def _designate(
    *,
    quality: EnterpriseQuality,
    person: Person,
    role: str,
    username: str,
    email: str,
    local_email: str,
    applications: Iterable,
    token: str,
    actor: audit.Actor,
) -> AccessManager:
    """The new term, after its account, its membership and its applications."""
    chosen = applications_check(quality, applications)
    _account(person=person, username=username, email=email, actor=actor)
    _membership_set(
        quality=quality,
        person=person,
        email=email,
        local_email=local_email,
        applications=chosen,
        actor=actor,
    )
    term = AccessManager(
        enterprise=quality.enterprise,
        person=person,
        role=role,
        quality=quality,
        email=email,
        designated_by=actor.user.person,
        procedure=Procedure.STANDARD,
        request_token=token,
    )
    term.full_clean(validate_constraints=False)
    term.save(force_insert=True)
    return term


@transaction.atomic
def gl_change(
    *,
    quality: EnterpriseQuality,
    person: Person,
    username: str,
    email: str,
    local_email: str,
    applications: Iterable,
    token: str = "",
    actor: audit.Actor,
) -> AccessManager:
    """Make `person` the GL of the qualité (flows.md §3 a); the GL they replace stays a user of
    it, with their membership and applications, and is told by e-mail. A current co-GL who
    becomes GL is no longer co-GL. `token` names the confirmed request: the same token again
    gives the term it made.

    Raises ValidationError: "not_allowed" (see `_lock`), "already_gl" if the person is its GL,
    "invalid_application", "username_taken" for a new account's username.
    """
    quality = _lock(quality, actor)
    if token and (done := AccessManager.objects.filter(request_token=token).first()):
        return done
    local = list(
        AccessManager.objects.select_for_update()
        .select_related("person")
        .filter(quality=quality, ended_at=None, role__in=[Role.GL, Role.CO_GL])
    )
    current = next((term for term in local if term.role == Role.GL), None)
    if current is not None and current.person_id == person.niss:
        raise ValidationError(
            _("Cette personne est déjà Gestionnaire Local de cette qualité."), code="already_gl"
        )
    as_co_gl = next((term for term in local if term.person_id == person.niss), None)
    before = {"gl": audit.snapshot(current), "co_gl": audit.snapshot(as_co_gl)}
    now = timezone.now()
    for ended in filter(None, (current, as_co_gl)):
        ended.ended_at = now  # the rows stay: they are the history
        ended.save(update_fields=["ended_at"])
    if (
        current is not None
        and not QualityMembership.objects.filter(
            quality=quality, person_id=current.person_id, ended_at=None
        ).exists()
    ):  # a GL named before memberships existed still becomes a plain user
        QualityMembership.objects.create(
            quality=quality,
            person_id=current.person_id,
            email=current.email,
            designated_by=actor.user.person,
        )
    term = _designate(
        quality=quality,
        person=person,
        role=Role.GL,
        username=username,
        email=email,
        local_email=local_email,
        applications=applications,
        token=token,
        actor=actor,
    )
    audit.record(actor, "gl_change", term, before=before, after=term)
    _notify("local_manager_designated", term=term, quality=quality, to=email)
    if current is not None:
        _notify("gl_replaced", term=current, quality=quality, to=current.email)
    return term


@transaction.atomic
def co_gl_add(
    *,
    quality: EnterpriseQuality,
    person: Person,
    username: str,
    email: str,
    local_email: str,
    applications: Iterable,
    token: str = "",
    actor: audit.Actor,
) -> AccessManager:
    """Make `person` a co-GL of the qualité (flows.md §3 b); they are told by e-mail. `token`
    as for `gl_change`.

    Raises ValidationError: "not_allowed" (see `_lock`), "already_local_manager" if the person
    is its GL or a co-GL already, "invalid_application", "username_taken".
    """
    quality = _lock(quality, actor)
    if token and (done := AccessManager.objects.filter(request_token=token).first()):
        return done
    if AccessManager.objects.filter(
        quality=quality, person=person, ended_at=None, role__in=[Role.GL, Role.CO_GL]
    ).exists():
        raise ValidationError(
            _(
                "Cette personne est déjà Gestionnaire Local ou Co-Gestionnaire Local de cette "
                "qualité."
            ),
            code="already_local_manager",
        )
    term = _designate(
        quality=quality,
        person=person,
        role=Role.CO_GL,
        username=username,
        email=email,
        local_email=local_email,
        applications=applications,
        token=token,
        actor=actor,
    )
    audit.record(actor, "co_gl_add", term, after=term)
    _notify("local_manager_designated", term=term, quality=quality, to=email)
    return term


@transaction.atomic
def co_gls_remove(
    *, quality: EnterpriseQuality, term_ids: Iterable[int], actor: audit.Actor
) -> list[AccessManager]:
    """End the co-GL terms `term_ids` of the qualité and their memberships (flows.md §3 c): they
    are no longer users of it. Each is told by e-mail; the terms stay as history.

    Raises ValidationError: "not_allowed" (see `_lock`), "not_co_gl" if a term is not a current
    co-GL of this qualité (removed meanwhile, or another qualité's); then nothing changes.
    """
    quality = _lock(quality, actor)
    wanted = set(term_ids)
    terms = list(
        AccessManager.objects.select_for_update()
        .select_related("person")
        .filter(pk__in=wanted, quality=quality, role=Role.CO_GL, ended_at=None)
        .order_by("pk")
    )
    if not wanted or len(terms) != len(wanted):
        raise ValidationError(
            _("Une personne choisie n'est plus Co-Gestionnaire Local de cette qualité."),
            code="not_co_gl",
        )
    co_gl_terms_end(quality=quality, terms=terms, actor=actor)
    return terms


def co_gl_terms_end(
    *, quality: EnterpriseQuality, terms: Iterable[AccessManager], actor: audit.Actor
) -> None:
    """End these current co-GL terms of the locked qualité and their memberships, and tell each
    person (the actor's right is the caller's check, under the lock)."""
    now = timezone.now()
    for term in terms:
        with audit.change(actor, "co_gl_remove", term):
            term.ended_at = now
            term.save(update_fields=["ended_at"])
            QualityMembership.objects.filter(
                quality=quality, person_id=term.person_id, ended_at=None
            ).update(ended_at=now)
        _notify("co_gl_removed", term=term, quality=quality, to=term.email)
