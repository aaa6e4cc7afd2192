"""«Gestion des Gestionnaires d'Accès»: the enterprises a person manages, and an enterprise's
page (flows.md §3)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from access_managers import permissions, selectors
from access_managers.overview import continuity_risks, managers_overview
from csam_portal.core.access import guarded_by
from users.permissions import person_required


@never_cache
@person_required
@require_GET
def enterprise_list(request: HttpRequest) -> HttpResponse:
    """«Gestion des Gestionnaires d'Accès»: the enterprises the person manages, with their role
    (their own terms only). One enterprise: straight to its page."""
    terms = list(selectors.access_manager_terms_of(niss=request.user.niss))
    enterprises = {term.enterprise_id for term in terms}
    if len(enterprises) == 1 and "list" not in request.GET:
        return redirect("access_managers:enterprise", number=terms[0].enterprise_id)
    return render(request, "access_managers/enterprise_list.html", {"terms": terms})


@guarded_by(permissions.enterprise_for_gga_page)
@never_cache
@person_required
@require_GET
def enterprise_detail(request: HttpRequest, number: str) -> HttpResponse:
    """The enterprise's «Gestion des Gestionnaires d'Accès» page: its GAP, the first co-GAPs, every
    domain with its first GAs and what threatens continuity, each list linking to its paged page
    (and the GAP to the GAP history); a GA sees only their own domain(s), read-only."""
    enterprise, actor = permissions.enterprise_for_gga_page(request, number)
    roles = actor.roles
    manages = permissions.can_manage_domain_managers(roles, enterprise)
    overview = managers_overview(
        enterprise_number=enterprise.number, domain_codes=None if manages else roles.ga_domains
    )
    context = {
        "enterprise": enterprise,
        "as_gap": roles.is_gap,
        "as_co_gap": roles.is_co_gap,
        "overview": overview,
        "current_gap": overview.gap,
        "can_manage_domain_managers": manages,
        "can_manage_co_gaps": permissions.can_manage_co_gaps(roles, enterprise),
        "can_designate_gap": permissions.can_designate_gap(roles, enterprise),
    }
    if manages:
        context["alone"], context["unmanaged"] = continuity_risks(
            enterprise_number=enterprise.number, overview=overview
        )
    return render(request, "access_managers/enterprise_detail.html", context)
