"""«Qui gère nos accès ?»: who manages an enterprise's accesses, for anyone with a role in it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from access_managers import permissions, selectors
from access_managers.models import AccessManager
from access_managers.roles import roles_by_enterprise
from csam_portal.core.access import guarded_by
from users.permissions import person_required

Role = AccessManager.Role


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
    """The enterprise's GAP, co-GAPs, GAs per domain and GLs (with co-GLs) per qualité, with
    their contact addresses."""
    enterprise, _actor = permissions.enterprise_for_who_manages(request, number)
    terms = selectors.current_managers(enterprise_number=enterprise.number)
    domains: dict[str, list] = {}
    qualities: dict[int, dict] = {}
    for term in terms:
        if term.role == Role.GA:
            domains.setdefault(term.domain.code, [term.domain, []])[1].append(term)
        elif term.role in (Role.GL, Role.CO_GL):
            place = qualities.setdefault(
                term.quality_id, {"quality": term.quality, "gl": None, "co_gls": []}
            )
            if term.role == Role.GL:
                place["gl"] = term
            else:
                place["co_gls"].append(term)
    context = {
        "enterprise": enterprise,
        "gap": next((term for term in terms if term.role == Role.GAP), None),
        "co_gaps": [term for term in terms if term.role == Role.CO_GAP],
        "domains": [domains[code] for code in sorted(domains)],
        "qualities": sorted(
            qualities.values(), key=lambda q: (q["quality"].quality.code, q["quality"].identifier)
        ),
    }
    return render(request, "access_managers/who_manages.html", context)
