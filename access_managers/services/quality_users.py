"""The users of a qualité (flows.md §4): created or attached, their applications added and
removed, blocked and unblocked, deleted — by the qualité's GL and co-GLs, the GAP, a co-GAP or a
GA of the social security (access.md).

Every change locks the `EnterpriseQuality` row and checks the actor's right again under the
lock. A bulk action takes the ids the page posted: all of them are current users of this qualité
or nothing changes, and it says how many users it changed. The GL and the co-GLs are users of the
qualité too; what makes or ends their local-manager term is services/local_managers.py's.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access_managers import permissions
from access_managers.models import (
    AccessManager,
    EnterpriseQuality,
    MembershipApplication,
    QualityMembership,
)
from access_managers.roles import roles_in
from access_managers.services import local_managers, qualities
from access_managers.services.local_managers import applications_check
from csam_portal.core import audit, outbox
from users import selectors as user_selectors
from users.models import Person, User
from users.services import accounts

Role = AccessManager.Role
Status = QualityMembership.Status


def _lock(quality: EnterpriseQuality, actor: audit.Actor) -> EnterpriseQuality:
    """Lock the qualité; check, under the lock, that the actor may still manage its users."""
    return qualities.quality_locked(
        quality,
        actor,
        can=permissions.can_manage_quality_users,
        refusal=_("Vous ne pouvez pas gérer les utilisateurs de cette qualité."),
    )


def _selection(quality: EnterpriseQuality, membership_ids: Iterable[int]) -> list:
    """The current memberships `membership_ids` of the qualité, locked, by name; refused whole
    if one is not (another qualité's id, a user deleted meanwhile) or none is chosen."""
    wanted = set(membership_ids)
    chosen = list(
        QualityMembership.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(pk__in=wanted, quality=quality, ended_at=None)
        .order_by("last_name", "first_name", "pk")
    )
    if not wanted or len(chosen) != len(wanted):
        raise ValidationError(
            _(
                "Un utilisateur choisi n'est plus utilisateur de cette qualité. Rien n'a été "
                "modifié : recommencez depuis la liste."
            ),
            code="not_user",
        )
    return chosen


def _local_roles(quality: EnterpriseQuality, chosen: list) -> dict[str, str]:
    """The GL / co-GL role of each chosen person who holds one in the qualité, by NISS."""
    return dict(
        AccessManager.objects.filter(
            quality=quality,
            ended_at=None,
            role__in=[Role.GL, Role.CO_GL],
            person_id__in=[membership.person_id for membership in chosen],
        ).values_list("person_id", "role")
    )


def _refuse_self(chosen: list, actor: audit.Actor, *, verb: str) -> None:
    niss = actor.user.niss if actor.user else None
    if any(membership.person_id == niss for membership in chosen):
        message = (
            _("Vous ne pouvez pas vous bloquer vous-même.")
            if verb == "block"
            else _("Vous ne pouvez pas vous supprimer vous-même.")
        )
        raise ValidationError(message, code="self")


def _refuse_local_managers(quality: EnterpriseQuality, chosen: list, actor: audit.Actor) -> None:
    """A block spares the actor and the local managers: refused whole."""
    _refuse_self(chosen, actor, verb="block")
    if _local_roles(quality, chosen):
        raise ValidationError(
            _(
                "Le Gestionnaire Local et les Co-Gestionnaires Locaux ne peuvent pas être "
                "bloqués : changez de Gestionnaire Local, ou supprimez le Co-Gestionnaire Local."
            ),
            code="local_manager",
        )


def _welcome(membership: QualityMembership, quality: EnterpriseQuality, username: str) -> None:
    person = membership.person
    language = user_selectors.person_language(person)
    outbox.enqueue(
        "access_managers/quality_user_welcome",
        to=membership.email,
        language=language,
        person_name=person.full_name,
        username=username,
        enterprise_name=quality.enterprise.name_in(language),
        enterprise_number=quality.enterprise.formatted_number,
        quality_name=getattr(quality.quality, f"name_{language}", "") or quality.quality.name_fr,
        identifier=quality.identifier,
    )


@transaction.atomic
def user_create(
    *,
    quality: EnterpriseQuality,
    person: Person,
    username: str,
    password_hash: str,
    email: str,
    local_email: str = "",
    language: str = "",
    applications: Iterable = (),
    token: str = "",
    actor: audit.Actor,
) -> QualityMembership:
    """Make `person` a user of the qualité (flows.md §4 a) and welcome them by e-mail, without
    their password. A person who has an account keeps its username and password and is only
    attached; an account without a username (a digital key only) receives `username` and the
    password (`password_hash`: see accounts.password_hash_for); a person without an account
    gets one with them (and `language`). `token` names the confirmed request: the same token
    again gives the membership it made.

    Raises ValidationError: "not_allowed", "already_user", "invalid_application",
    "username_taken".
    """
    quality = _lock(quality, actor)
    if token and (done := QualityMembership.objects.filter(request_token=token).first()):
        return done
    if QualityMembership.objects.filter(quality=quality, person=person, ended_at=None).exists():
        raise ValidationError(
            _("Cette personne est déjà utilisateur de cette qualité."), code="already_user"
        )
    chosen = applications_check(quality, applications)
    account = User.objects.select_for_update().filter(person=person).first()
    if account is None:
        try:
            with transaction.atomic():  # another qualité's request may take the name meanwhile
                account = accounts.account_create(
                    person=person,
                    username=username,
                    password_hash=password_hash,
                    email=email,
                    actor=actor,
                )
        except IntegrityError as error:
            raise ValidationError(
                _("Ce nom d'utilisateur est déjà pris."), code="username_taken"
            ) from error
        if language:
            account = accounts.user_language_set(user=account, language=language, actor=actor)
    elif not account.username:
        account = accounts.account_credentials_set(
            account=account,
            username=username,
            password_hash=password_hash,
            actor=actor,
        )
    membership = QualityMembership(
        quality=quality,
        person=person,
        email=email,
        local_email=local_email,
        designated_by=actor.user.person,
        request_token=token,
    )
    membership.full_clean(validate_constraints=False)
    membership.save(force_insert=True)
    MembershipApplication.objects.bulk_create(
        MembershipApplication(
            membership=membership, application=application, granted_by=actor.user.person
        )
        for application in chosen
    )
    audit.record(
        actor,
        "quality_user_create",
        membership,
        after={**audit.snapshot(membership), "applications": sorted(a.pk for a in chosen)},
    )
    _welcome(membership, quality, account.username)
    return membership


@transaction.atomic
def user_update(
    *,
    quality: EnterpriseQuality,
    membership_id: int,
    email: str,
    local_email: str,
    applications: Iterable,
    status: str,
    language: str = "",
    actor: audit.Actor,
) -> QualityMembership:
    """Change one user's addresses, applications, status and the language they are written to
    in («Consulter / modifier»). The actor cannot block themself, nor a local manager.

    Raises ValidationError: "not_allowed", "not_user", "self", "local_manager",
    "invalid_application".
    """
    quality = _lock(quality, actor)
    (membership,) = _selection(quality, [membership_id])
    if status != membership.status:
        _refuse_local_managers(quality, [membership], actor)
    chosen = {application.pk for application in applications_check(quality, applications)}
    granted = set(membership.granted_applications.values_list("application_id", flat=True))
    before = {**audit.snapshot(membership), "applications": sorted(granted)}
    membership.email, membership.local_email, membership.status = email, local_email, status
    membership.full_clean(validate_constraints=False)
    membership.save(update_fields=["email", "local_email", "status"])
    membership.granted_applications.filter(application_id__in=granted - chosen).delete()
    MembershipApplication.objects.bulk_create(
        MembershipApplication(
            membership=membership, application_id=pk, granted_by=actor.user.person
        )
        for pk in sorted(chosen - granted)
    )
    after = {**audit.snapshot(membership), "applications": sorted(chosen)}
    audit.record(actor, "quality_user_update", membership, before=before, after=after)
    account = User.objects.filter(person_id=membership.person_id).first()
    if language and account is not None and account.language != language:
        accounts.user_language_set(user=account, language=language, actor=actor)
    return membership


@transaction.atomic
def applications_add(
    *,
    quality: EnterpriseQuality,
    membership_ids: Iterable[int],
    applications: Iterable,
    actor: audit.Actor,
) -> int:
    """Give every chosen user the chosen applications they lack (flows.md §4 b); how many users
    received at least one."""
    quality = _lock(quality, actor)
    chosen_apps = applications_check(quality, applications)
    chosen = _selection(quality, membership_ids)
    held = set(
        MembershipApplication.objects.filter(membership__in=chosen).values_list(
            "membership_id", "application_id"
        )
    )
    new = [
        MembershipApplication(
            membership=membership, application=application, granted_by=actor.user.person
        )
        for membership in chosen
        for application in chosen_apps
        if (membership.pk, application.pk) not in held
    ]
    MembershipApplication.objects.bulk_create(new)
    changed = sorted({grant.membership.pk for grant in new})
    audit.record(
        actor,
        "quality_users_applications_add",
        quality,
        after={"users": changed, "applications": sorted(a.pk for a in chosen_apps)},
    )
    return len(changed)


@transaction.atomic
def applications_remove(
    *,
    quality: EnterpriseQuality,
    membership_ids: Iterable[int],
    applications: Iterable,
    actor: audit.Actor,
) -> int:
    """Take the chosen applications from every chosen user who has them; how many users lost at
    least one."""
    quality = _lock(quality, actor)
    chosen_apps = applications_check(quality, applications)
    chosen = _selection(quality, membership_ids)
    grants = MembershipApplication.objects.filter(
        membership__in=chosen, application__in=chosen_apps
    )
    changed = sorted(set(grants.values_list("membership_id", flat=True)))
    grants.delete()
    audit.record(
        actor,
        "quality_users_applications_remove",
        quality,
        before={"users": changed, "applications": sorted(a.pk for a in chosen_apps)},
    )
    return len(changed)


def _status_set(quality, membership_ids, actor, *, status: str, action: str) -> int:
    quality = _lock(quality, actor)
    chosen = _selection(quality, membership_ids)
    if status == Status.BLOCKED:
        _refuse_local_managers(quality, chosen, actor)
    changed = [membership for membership in chosen if membership.status != status]
    QualityMembership.objects.filter(pk__in=[m.pk for m in changed]).update(status=status)
    audit.record(actor, action, quality, after={"users": [m.pk for m in changed], "status": status})
    return len(changed)


@transaction.atomic
def users_block(
    *, quality: EnterpriseQuality, membership_ids: Iterable[int], actor: audit.Actor
) -> int:
    """Block the chosen users (flows.md §4 c): from their next request they have no rights from
    this qualité. Refused whole for the actor themself and for the local managers. How many
    changed (those already blocked do not)."""
    return _status_set(
        quality, membership_ids, actor, status=Status.BLOCKED, action="quality_users_block"
    )


@transaction.atomic
def users_unblock(
    *, quality: EnterpriseQuality, membership_ids: Iterable[int], actor: audit.Actor
) -> int:
    """Unblock the chosen users; how many changed."""
    return _status_set(
        quality, membership_ids, actor, status=Status.ACTIVE, action="quality_users_unblock"
    )


@transaction.atomic
def users_delete(
    *, quality: EnterpriseQuality, membership_ids: Iterable[int], actor: audit.Actor
) -> int:
    """End the chosen users' memberships (flows.md §4 d, §3 c): the rows stay as history, their
    applications go, their accounts stay (a person may use other qualités). A co-GL chosen is
    no longer co-GL either — only for those who manage the local managers (the GAP, a co-GAP,
    a GA of the social security). Refused whole for the actor themself and for the GL (it is
    changed, never removed). How many were deleted.

    Raises ValidationError: "not_allowed", "not_user", "self", "gl", "co_gl".
    """
    quality = _lock(quality, actor)
    chosen = _selection(quality, membership_ids)
    _refuse_self(chosen, actor, verb="delete")
    local = _local_roles(quality, chosen)
    if Role.GL in local.values():
        raise ValidationError(
            _(
                "Le Gestionnaire Local ne peut pas être supprimé : choisissez « Changer de "
                "Gestionnaire Local »."
            ),
            code="gl",
        )
    if local:
        roles = roles_in(niss=actor.user.niss, enterprise_number=quality.enterprise_id)
        if not permissions.can_manage_local_managers(roles, quality):
            raise ValidationError(
                _(
                    "Seuls le GAP, un co-GAP ou un Gestionnaire d'Accès de la Sécurité Sociale "
                    "peuvent supprimer un Co-Gestionnaire Local."
                ),
                code="co_gl",
            )
        terms = (
            AccessManager.objects.select_for_update()
            .select_related("person")
            .filter(quality=quality, ended_at=None, role=Role.CO_GL, person_id__in=list(local))
        )
        local_managers.co_gl_terms_end(quality=quality, terms=list(terms), actor=actor)
    ids = [membership.pk for membership in chosen]
    MembershipApplication.objects.filter(membership_id__in=ids).delete()
    QualityMembership.objects.filter(pk__in=ids, ended_at=None).update(ended_at=timezone.now())
    audit.record(
        actor,
        "quality_users_delete",
        quality,
        before={"users": [{"id": m.pk, "niss": m.person_id} for m in chosen]},
    )
    return len(ids)
