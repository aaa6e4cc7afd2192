"""Who may do what to which enterprise (../shared/spec/access.md); nothing else.

Each `<thing>_for_<action>` loads the object in the URL and checks the person's roles in it: a
stranger to the enterprise gets 404 (they must not learn who manages it), one of its people
without the right gets 403, and nothing changes.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from access_managers import selectors
from access_managers.selectors import Roles
from csam_portal.audit import Actor
from enterprises.models import Enterprise


def enterprise_for_gap_designation(*, number: str, niss: str, lock: bool = False) -> Enterprise:
    """The enterprise `niss` may register and give a GAP (standard procedure): it exists, it is
    active, and `niss` holds a legal function in it valid today. `lock` (inside a transaction)
    holds the enterprise row until the end of it, so two designations of it run one at a time.

    Raises ValidationError saying which condition fails.
    """
    enterprises = Enterprise.objects.select_for_update() if lock else Enterprise.objects
    enterprise = enterprises.filter(number=number).first()
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
    if not selectors.legal_functions_valid_today(niss=niss, enterprise_number=number).exists():
        raise ValidationError(
            _(
                "Vous n'exercez pas aujourd'hui de fonction légale dans cette entreprise selon la "
                "Banque-Carrefour des Entreprises. Seul un représentant légal peut l'enregistrer "
                "dans CSAM."
            ),
            code="not_legal_representative",
        )
    return enterprise


def can_see_gga_page(roles: Roles) -> bool:
    return roles.is_gap or roles.is_co_gap


def can_manage_co_gaps(roles: Roles) -> bool:
    """Only the GAP names and removes co-GAPs (a co-GAP helps, it does not delegate)."""
    return roles.is_gap


def _enterprise_roles(request: HttpRequest, number: str) -> tuple[Enterprise, Roles]:
    enterprise = selectors.enterprise_with_managers(number=number)
    if enterprise is None:
        raise Http404
    roles = selectors.roles_in(niss=request.user.niss, enterprise_number=enterprise.number)
    if not roles:
        raise Http404
    return enterprise, roles


def enterprise_for_gga_page(request: HttpRequest, number: str) -> tuple[Enterprise, Roles]:
    """The enterprise whose «Gestion des Gestionnaires d'Accès» page the GAP or a co-GAP sees."""
    enterprise, roles = _enterprise_roles(request, number)
    if not can_see_gga_page(roles):
        raise PermissionDenied
    return enterprise, roles


def enterprise_for_co_gap_edit(request: HttpRequest, number: str) -> tuple[Enterprise, Actor]:
    """The enterprise whose co-GAPs its GAP names or removes."""
    enterprise, roles = _enterprise_roles(request, number)
    if not can_manage_co_gaps(roles):
        raise PermissionDenied
    return enterprise, Actor.from_request(request, role=roles.highest)


def can_download_exceptional_document(request: HttpRequest, exceptional, session_tickets) -> bool:
    """The session that made the request, or back-office staff who may see requests."""
    if exceptional.ticket in session_tickets:
        return True
    user = request.user
    return user.is_staff and user.has_perm("access_managers.view_exceptionalrequest")
