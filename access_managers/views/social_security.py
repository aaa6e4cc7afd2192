"""The social security's «Gestion des accès pour Entreprises et Organisations» (flows.md §3): the
home with the person's enterprises and role links, the «Responsable Accès Entité» page with its
«Liste des qualités», and a qualité's registration. A qualité's users are
views/quality_users.py's; naming a GL or a co-GL is views/local_managers.py's."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from access_managers import permissions, quality_forms, selectors
from access_managers.models import AccessManager
from access_managers.roles import Roles, roles_by_enterprise
from access_managers.services import qualities
from csam_portal.core.access import guarded_by
from users.permissions import person_required

Role = AccessManager.Role


@never_cache
@person_required
@require_GET
def social_security(request: HttpRequest) -> HttpResponse:
    """The home: the enterprises where the person manages access in the social security, each
    with its role links: the RAE page, and each qualité they are GL or co-GL of."""
    by_enterprise = defaultdict(list)
    for term in selectors.social_security_terms_of(niss=request.user.niss):
        by_enterprise[term.enterprise_id].append(term)
    roles = roles_by_enterprise(niss=request.user.niss)
    enterprises = []
    for number, terms in by_enterprise.items():
        enterprise = terms[0].enterprise
        rae = permissions.can_see_rae_page(roles.get(number, Roles()), enterprise)
        local = [term for term in terms if term.role in (Role.GL, Role.CO_GL)]
        if rae or local:
            enterprises.append({"enterprise": enterprise, "rae": rae, "local_terms": local})
    return render(
        request, "access_managers/social_security/home.html", {"enterprises": enterprises}
    )


@guarded_by(permissions.enterprise_for_rae_page)
@never_cache
@person_required
@require_GET
def rae_page(request: HttpRequest, number: str) -> HttpResponse:
    """The «Responsable Accès Entité» page: the enterprise and its «Liste des qualités»."""
    enterprise, actor = permissions.enterprise_for_rae_page(request, number)
    context = {
        "enterprise": enterprise,
        "qualities": selectors.quality_list(enterprise_number=enterprise.number),
        "can_register_quality": permissions.can_register_quality(actor.roles, enterprise),
    }
    return render(request, "access_managers/social_security/rae.html", context)


@guarded_by(permissions.enterprise_for_quality_registration)
@never_cache
@person_required
@require_http_methods(["GET", "POST"])
def quality_register(request: HttpRequest, number: str) -> HttpResponse:
    """Register a qualité of the enterprise: a type of the catalogue and its identifier."""
    enterprise, actor = permissions.enterprise_for_quality_registration(request, number)
    form = quality_forms.QualityRegisterForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            registered = qualities.quality_register(
                enterprise=enterprise, actor=actor, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("La qualité %(quality)s (%(identifier)s) est enregistrée.")
                % {"quality": registered.quality.name, "identifier": registered.identifier},
            )
            return redirect("access_managers:rae_page", number=enterprise.number)
    context = {"enterprise": enterprise, "form": form}
    return render(request, "access_managers/social_security/quality_register.html", context)
