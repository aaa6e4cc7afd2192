"""Who may do what to which enterprise (../shared/spec/access.md); nothing else.

Two shapes only: `can_<verb>(roles, obj) -> bool` reads a person's `Roles` (the views hand
templates these answers as `can_*` flags), and `<thing>_for_<action>(request, …) -> (obj, Actor)`
opens a view (declared with `csam_portal.core.access.guarded_by`). Each `<thing>_for_<action>`
loads the object in the URL and checks the person's roles in it: a
stranger to the enterprise gets 404 (they must not learn who manages it), one of its people
without the right gets 403, and nothing changes.

One rule goes beyond access.md's table: the document of an exceptional request is downloaded by
the browser session that made the request, by back-office staff, and by whoever has the signed
link e-mailed to the requester's address (`exceptional_request_for_document_link`, made by
`document_links`), while the request is pending.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest

from access_managers import document_links, selectors
from access_managers.models import EnterpriseQuality, ExceptionalRequest, QualityMembership
from access_managers.roles import Roles, roles_by_enterprise, roles_in
from access_managers.selectors import EnterpriseDomain
from csam_portal.core.audit import Actor
from enterprises import selectors as enterprise_selectors
from enterprises.models import Domain, Enterprise
from users.roles import Role


def can_see_gga_page(roles: Roles, enterprise: Enterprise) -> bool:
    """The enterprise's «Gestion des Gestionnaires d'Accès» page: its GAP and co-GAPs, and its GAs
    (their own domain(s) only, read-only)."""
    return roles.is_gap or roles.is_co_gap or bool(roles.ga_domains)


def can_manage_co_gaps(roles: Roles, enterprise: Enterprise) -> bool:
    """Only the GAP names and removes co-GAPs (a co-GAP helps, it does not delegate)."""
    return roles.is_gap


def can_designate_gap(roles: Roles, enterprise: Enterprise) -> bool:
    """A legal representative designates or changes the GAP (standard procedure); the GAP does
    only if they are one too."""
    return roles.is_lr


def can_manage_domain_managers(roles: Roles, enterprise: Enterprise) -> bool:
    """The GAP and co-GAPs designate and remove GAs of any domain and edit their addresses; they
    also see the GAP history."""
    return roles.is_gap or roles.is_co_gap


def can_see_domain_managers(roles: Roles, domain: Domain) -> bool:
    """A domain's page, its GAs and their addresses: the GAP and co-GAPs (who manage them), and
    the domain's own GAs (read-only)."""
    return roles.is_gap or roles.is_co_gap or roles.is_ga_of(domain.code)


def can_see_who_manages(roles: Roles, enterprise: Enterprise) -> bool:
    """«Qui gère nos accès ?»: anyone with a role in the enterprise (a blocked user has none)."""
    return bool(roles)


def _enterprise_and_roles(
    request: HttpRequest,
    number: str,
    load: Callable[..., Enterprise | None] = enterprise_selectors.enterprise_named,
) -> tuple[Enterprise, Roles]:
    """The enterprise in the URL (read by `load`) and the person's roles in it; 404 to a stranger
    to it."""
    enterprise = load(number=number)
    if enterprise is None:
        raise Http404
    roles = roles_in(niss=request.user.niss, enterprise_number=enterprise.number)
    if not roles:
        raise Http404
    return enterprise, roles


def _allowed(
    request: HttpRequest,
    number: str,
    can: Callable[[Roles, Enterprise], bool],
    load: Callable[..., Enterprise | None] = enterprise_selectors.enterprise_named,
) -> tuple[Enterprise, Actor]:
    enterprise, roles = _enterprise_and_roles(request, number, load)
    if not can(roles, enterprise):
        raise PermissionDenied
    return enterprise, Actor.from_request(request, role=roles.actor_role or "", roles=roles)


def enterprise_for_gga_page(request: HttpRequest, number: str) -> tuple[Enterprise, Actor]:
    """The enterprise whose «Gestion des Gestionnaires d'Accès» page the GAP or a co-GAP sees."""
    return _allowed(request, number, can_see_gga_page)


def enterprise_for_co_gap_edit(request: HttpRequest, number: str) -> tuple[Enterprise, Actor]:
    """The enterprise whose co-GAPs its GAP names or removes."""
    return _allowed(request, number, can_manage_co_gaps)


def enterprise_for_domain_managers_edit(
    request: HttpRequest, number: str
) -> tuple[Enterprise, Actor]:
    """The enterprise whose GAs its GAP or a co-GAP designates, removes, or whose addresses they
    edit; also its paged lists of co-GAPs and of GAP terms."""
    return _allowed(request, number, can_manage_domain_managers)


def domain_for_domain_page(
    request: HttpRequest, number: str, code: str
) -> tuple[EnterpriseDomain, Actor]:
    """The domain whose GAs and their addresses the enterprise's page of that domain shows."""
    enterprise, roles = _enterprise_and_roles(request, number)
    domain = selectors.domain_get(code=code)
    if domain is None:
        raise Http404
    if not can_see_domain_managers(roles, domain):
        raise PermissionDenied
    actor = Actor.from_request(request, role=roles.actor_role or "", roles=roles)
    return EnterpriseDomain(enterprise, domain), actor


def enterprise_for_who_manages(request: HttpRequest, number: str) -> tuple[Enterprise, Actor]:
    """The enterprise whose «Qui gère nos accès ?» page one of its people sees."""
    return _allowed(request, number, can_see_who_manages)


def exceptional_request_for_document(
    request: HttpRequest, ticket: str, *, session_tickets: list[str]
) -> tuple[ExceptionalRequest, Actor]:
    """The request whose PDF `ticket` names, for the browser session that made it
    (`session_tickets`) or back-office staff who may see requests; 404 to anyone else, who must not
    learn that the ticket exists. (Whoever has the signed link e-mailed to the requester goes
    through `exceptional_request_for_document_link`.)"""
    exceptional = (
        ExceptionalRequest.objects.select_related("requester", "gap").filter(ticket=ticket).first()
    )
    if exceptional is None:
        raise Http404
    user = request.user
    staff = user.is_staff and user.has_perm("access_managers.view_exceptionalrequest")
    if exceptional.ticket not in session_tickets and not staff:
        raise Http404
    role = Role.STAFF if staff else ""
    return exceptional, Actor.from_request(request, role=role)


def exceptional_request_for_document_link(
    request: HttpRequest, token: str
) -> tuple[ExceptionalRequest, Actor]:
    """The request whose document the signed link `token` gives, to anyone who has the link (it
    was e-mailed to the requester's address): no session, no login.

    Raises document_links.DocumentLinkRefused: "invalid" if the portal did not sign it or its
    request does not exist, "closed" if the request is no longer pending or has expired.
    """
    exceptional = document_links.exceptional_request_of(token)
    if not exceptional.document_link_opens:
        raise document_links.DocumentLinkRefused("closed", exceptional)
    return exceptional, Actor.from_request(request)


# The social security: qualités and their local managers

SOCIAL_SECURITY = "SECU"  # the domain whose GA manages every qualité's local managers


def can_manage_local_managers(roles: Roles, quality: EnterpriseQuality) -> bool:
    """Change the GL of a qualité, add and remove its co-GLs: the GAP, a co-GAP, or a GA of the
    social-security domain."""
    return roles.is_gap or roles.is_co_gap or roles.is_ga_of(SOCIAL_SECURITY)


def can_see_rae_page(roles: Roles, enterprise: Enterprise) -> bool:
    """The «Responsable Accès Entité» page and its «Liste des qualités»: those who manage the
    local managers of every qualité."""
    return roles.is_gap or roles.is_co_gap or roles.is_ga_of(SOCIAL_SECURITY)


def can_register_quality(roles: Roles, enterprise: Enterprise) -> bool:
    """Register a new qualité of the enterprise: its GAP or a co-GAP."""
    return roles.is_gap or roles.is_co_gap


def can_manage_quality_users(roles: Roles, quality: EnterpriseQuality) -> bool:
    """A qualité's «Utilisateurs»: list, filter and export them, create, block, unblock and
    delete them, add and remove their applications (access.md): those who manage its local
    managers, and its GL and co-GLs (not those of another qualité)."""
    return can_manage_local_managers(roles, quality) or roles.is_local_manager_of(quality.pk)


def enterprise_for_rae_page(request: HttpRequest, number: str) -> tuple[Enterprise, Actor]:
    """The enterprise whose «Responsable Accès Entité» page is shown."""
    return _allowed(request, number, can_see_rae_page)


def enterprise_for_quality_registration(
    request: HttpRequest, number: str
) -> tuple[Enterprise, Actor]:
    """The enterprise for which a qualité is registered."""
    return _allowed(request, number, can_register_quality)


def quality_for_user_management(
    request: HttpRequest, quality_id: int
) -> tuple[EnterpriseQuality, Actor]:
    """The qualité whose users are created, changed, blocked, deleted or exported."""
    return _quality(request, quality_id, can_manage_quality_users)


def qualities_for_users_search(request: HttpRequest) -> Q:
    """The qualités whose users the person searches, those they manage (access.md), as a
    condition on `EnterpriseQuality`: every qualité of an enterprise where they are GAP, co-GAP
    or GA of the social security, and those they are GL or co-GL of; none for anyone else."""
    condition = Q(pk__in=[])
    for number, roles in roles_by_enterprise(niss=request.user.niss).items():
        if can_manage_local_managers(roles, None):  # every qualité of the enterprise
            condition |= Q(enterprise_id=number)
        elif roles.gl_qualities or roles.co_gl_qualities:
            condition |= Q(pk__in=roles.gl_qualities | roles.co_gl_qualities)
    return condition


def quality_for_local_manager_edit(
    request: HttpRequest, quality_id: int
) -> tuple[EnterpriseQuality, Actor]:
    """The qualité whose GL is changed, or whose co-GLs are added or removed."""
    return _quality(request, quality_id, can_manage_local_managers)


def _quality(
    request: HttpRequest, quality_id: int, can: Callable[[Roles, EnterpriseQuality], bool]
) -> tuple[EnterpriseQuality, Actor]:
    quality = selectors.quality_get(quality_id=quality_id)
    if quality is None:
        raise Http404
    roles = roles_in(niss=request.user.niss, enterprise_number=quality.enterprise_id)
    if not roles:
        raise Http404
    if not can(roles, quality):
        raise PermissionDenied
    return quality, Actor.from_request(request, role=roles.actor_role or "", roles=roles)


def membership_for_personal_data(
    request: HttpRequest, quality_id: int
) -> tuple[QualityMembership, Actor]:
    """The logged-in person's own current membership of the qualité in the URL, whose addresses
    they see and change (access.md, last row: own personal data, every logged-in person): its
    GL, a co-GL or a user. A blocked user keeps theirs (the block takes the qualité's
    applications away, not the person's own data). Anyone without a membership of it gets 404,
    the enterprise's other people included: there is nothing of theirs to show.

    The audit log records the person's role in that qualité (GL, co-GL, user), else "person".
    """
    membership = selectors.membership_get_own(niss=request.user.niss, quality_id=quality_id)
    if membership is None:
        raise Http404
    roles = roles_in(niss=request.user.niss, enterprise_number=membership.quality.enterprise_id)
    quality_id = membership.quality_id
    if quality_id in roles.gl_qualities:
        role = Role.GL
    elif quality_id in roles.co_gl_qualities:
        role = Role.CO_GL
    elif roles.is_user_of(quality_id):
        role = Role.USER
    else:
        role = Role.PERSON
    return membership, Actor.from_request(request, role=role, roles=roles)
