"""«Qui gère nos accès ?»: who manages an enterprise's accesses, for anyone with a role in it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from access_managers import listings, permissions, selectors
from access_managers.roles import roles_by_enterprise
from csam_portal.core.access import guarded_by
from users.permissions import person_required


@never_cache
@person_required
@require_GET
def who_manages_list(request: HttpRequest) -> HttpResponse:
    """The enterprises where the person has a role today, each linking to its «Qui gère nos
    accès ?» page."""
    roles = roles_by_enterprise(niss=request.user.niss)
    enterprises = selectors.enterprises_named(numbers=roles)
    return render(request, "access_managers/who_manages_list.html", {"enterprises": enterprises})


@guarded_by(permissions.enterprise_for_who_manages)
@never_cache
@person_required
@require_GET
def who_manages(request: HttpRequest, number: str) -> HttpResponse:
    """The enterprise's GAP, co-GAPs, GAs per domain and GLs and co-GLs per qualité, with their
    contact addresses, a page at a time."""
    enterprise, _actor = permissions.enterprise_for_who_manages(request, number)
    page = listings.who_manages_page(
        enterprise_number=enterprise.number, number=request.GET.get("page")
    )
    return render(
        request, "access_managers/who_manages.html", {"enterprise": enterprise, "page": page}
    )
