"""«Gestion des Gestionnaires d'Accès»: the enterprises a person manages, and an enterprise's
page (flows.md §3)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from access_managers import permissions, selectors
from access_managers.views.common import _person_required


@never_cache
@login_required
@require_GET
def enterprise_list(request: HttpRequest) -> HttpResponse:
    """«Gestion des Gestionnaires d'Accès»: the enterprises the person manages, with their role.
    One enterprise: straight to its page."""
    _person_required(request)
    terms = list(selectors.access_manager_terms_of(niss=request.user.niss))
    enterprises = {term.enterprise_id for term in terms}
    if len(enterprises) == 1 and "list" not in request.GET:
        return redirect("access_managers:enterprise", number=terms[0].enterprise_id)
    return render(request, "access_managers/enterprise_list.html", {"terms": terms})


@never_cache
@login_required
@require_GET
def enterprise_detail(request: HttpRequest, number: str) -> HttpResponse:
    """The enterprise's «Gestion des Gestionnaires d'Accès» page: its GAP, co-GAPs, history."""
    _person_required(request)
    enterprise, roles = permissions.enterprise_for_gga_page(request, number)
    current_gap = next((term for term in enterprise.gap_terms if term.is_current), None)
    context = {
        "enterprise": enterprise,
        "roles": roles,
        "current_gap": current_gap,
        "can_manage_co_gaps": permissions.can_manage_co_gaps(roles),
    }
    return render(request, "access_managers/enterprise_detail.html", context)
