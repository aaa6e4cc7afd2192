"""Who may do what to which enterprise (../shared/spec/access.md); nothing else.

Two shapes only: `can_<verb>(roles, obj) -> bool` reads a person's `Roles` (the views hand
templates these answers as `can_*` flags), and `<thing>_for_<action>(request, …) -> (obj, Actor)`
opens a view (declared with `csam_portal.core.access.guarded_by`). Each `<thing>_for_<action>`
loads the object in the URL and checks the person's roles in it: a
stranger to the enterprise gets 404 (they must not learn who manages it), one of its people
without the right gets 403, and nothing changes.

One rule goes beyond access.md's table: the document of an exceptional request is downloaded by
the browser session that made the request, by back-office staff, and by whoever has the signed
link e-mailed to the requester's address (`exceptional_request_for_document_link`), while the
request is pending.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from access_managers import selectors
from access_managers.models import ExceptionalRequest
from access_managers.roles import Roles, roles_in
from csam_portal.core.audit import Actor
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


def can_see_gga_page(roles: Roles, enterprise: Enterprise) -> bool:
    """The enterprise's «Gestion des Gestionnaires d'Accès» page: its GAP and co-GAPs."""
    return roles.is_gap or roles.is_co_gap


def can_manage_co_gaps(roles: Roles, enterprise: Enterprise) -> bool:
    """Only the GAP names and removes co-GAPs (a co-GAP helps, it does not delegate)."""
    return roles.is_gap


def can_designate_gap(roles: Roles, enterprise: Enterprise) -> bool:
    """A legal representative designates or changes the GAP (standard procedure); the GAP does
    only if they are one too."""
    return roles.is_lr


def _enterprise_and_roles(request: HttpRequest, number: str) -> tuple[Enterprise, Roles]:
    """The enterprise in the URL and the person's roles in it; 404 to a stranger to it."""
    enterprise = selectors.enterprise_with_managers(number=number)
    if enterprise is None:
        raise Http404
    roles = roles_in(niss=request.user.niss, enterprise_number=enterprise.number)
    if not roles:
        raise Http404
    return enterprise, roles


def _allowed(
    request: HttpRequest, number: str, can: Callable[[Roles, Enterprise], bool]
) -> tuple[Enterprise, Actor]:
    enterprise, roles = _enterprise_and_roles(request, number)
    if not can(roles, enterprise):
        raise PermissionDenied
    return enterprise, Actor.from_request(request, role=roles.actor_role or "", roles=roles)


def enterprise_for_gga_page(request: HttpRequest, number: str) -> tuple[Enterprise, Actor]:
    """The enterprise whose «Gestion des Gestionnaires d'Accès» page the GAP or a co-GAP sees."""
    return _allowed(request, number, can_see_gga_page)


def enterprise_for_co_gap_edit(request: HttpRequest, number: str) -> tuple[Enterprise, Actor]:
    """The enterprise whose co-GAPs its GAP names or removes."""
    return _allowed(request, number, can_manage_co_gaps)


def can_download_exceptional_document(request: HttpRequest, exceptional, session_tickets) -> bool:
    """The session that made the request, or back-office staff who may see requests (whoever
    has the signed link goes through `exceptional_request_for_document_link`)."""
    if exceptional.ticket in session_tickets:
        return True
    user = request.user
    return user.is_staff and user.has_perm("access_managers.view_exceptionalrequest")


# The signed link's own salt: no other value the portal signs opens a document.
DOCUMENT_LINK_SALT = "access_managers.exceptional_document_link"


def exceptional_document_token(exceptional: ExceptionalRequest) -> str:
    """The token of the link to the request's document: its ticket signed with SECRET_KEY
    (nobody makes one without the key). A request always gets the same token; how long it
    opens the document is the request's state, checked on each use."""
    return signing.Signer(salt=DOCUMENT_LINK_SALT).sign_object({"ticket": exceptional.ticket})


class DocumentLinkRefused(Exception):
    """A link that does not give the document: `reason` is "invalid" (not a link the portal
    made) or "closed" (its request, `exceptional`, was processed or expired)."""

    def __init__(self, reason: str, exceptional: ExceptionalRequest | None = None):
        super().__init__(reason)
        self.reason = reason
        self.exceptional = exceptional


def can_resend_exceptional_document(exceptional: ExceptionalRequest) -> bool:
    """«Recevoir à nouveau le document»: for a request still waiting for its signed paper, until
    it expires (the hourly task marks it expired a little later)."""
    return (
        exceptional.status == ExceptionalRequest.Status.OPEN
        and timezone.now() < exceptional.expires_at
    )


def can_open_document_link(exceptional: ExceptionalRequest) -> bool:
    """The signed link works while the request is pending: while it can be sent again, and once
    received, waiting for the back office (such a request does not expire)."""
    if exceptional.status == ExceptionalRequest.Status.RECEIVED:
        return True
    return can_resend_exceptional_document(exceptional)


def exceptional_request_for_document_link(token: str) -> ExceptionalRequest:
    """The request whose document the signed link `token` gives, to anyone who has the link (it
    was e-mailed to the requester's address): no session, no login.

    Raises DocumentLinkRefused: "invalid" if the portal did not sign it or its request does not
    exist, "closed" if the request is no longer pending or has expired.
    """
    try:
        payload = signing.Signer(salt=DOCUMENT_LINK_SALT).unsign_object(token)
    except signing.BadSignature:
        raise DocumentLinkRefused("invalid") from None
    exceptional = (
        ExceptionalRequest.objects.select_related("requester", "gap")
        .filter(ticket=str(payload.get("ticket", "")))
        .first()
    )
    if exceptional is None:
        raise DocumentLinkRefused("invalid")
    if not can_open_document_link(exceptional):
        raise DocumentLinkRefused("closed", exceptional)
    return exceptional
