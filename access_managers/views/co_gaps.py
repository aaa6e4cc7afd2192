"""The co-GAPs an enterprise's GAP names and removes (flows.md §3)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from access_managers import forms, listings, permissions, selectors
from access_managers.services import co_gaps
from csam_portal.core.access import guarded_by
from users.permissions import person_required

CO_GAP_ADDED = gettext_lazy(
    "%(name)s est maintenant Co-Gestionnaire d'Accès Principal. Un e-mail l'en informe."
)


@guarded_by(permissions.enterprise_for_domain_managers_edit)
@never_cache
@person_required
@require_GET
def co_gap_list(request: HttpRequest, number: str) -> HttpResponse:
    """Every current co-GAP of the enterprise, a page at a time (its page shows the first)."""
    enterprise, actor = permissions.enterprise_for_domain_managers_edit(request, number)
    context = {
        "enterprise": enterprise,
        "page": listings.co_gaps_page(
            enterprise_number=enterprise.number, number=request.GET.get("page")
        ),
        "can_manage_co_gaps": permissions.can_manage_co_gaps(actor.roles, enterprise),
    }
    return render(request, "access_managers/co_gap_list.html", context)


@guarded_by(permissions.enterprise_for_co_gap_edit)
@never_cache
@person_required
@require_http_methods(["GET", "POST"])
def co_gap_add(request: HttpRequest, number: str) -> HttpResponse:
    """Name a co-GAP: search by NISS → the person's name → e-mail → «Ajouter»."""
    enterprise, actor = permissions.enterprise_for_co_gap_edit(request, number)
    adding = request.method == "POST" and "add" in request.POST
    form_class = forms.CoGapAddForm if adding else forms.PersonSearchForm
    form = form_class(request.POST if request.method == "POST" else None)
    person = None
    if form.is_valid():
        person = form.person
        if adding:
            try:
                co_gaps.co_gap_add(
                    enterprise=enterprise,
                    person=person,
                    email=form.cleaned_data["email"],
                    phone=form.cleaned_data["phone"],
                    actor=actor,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, CO_GAP_ADDED % {"name": person.full_name})
                return redirect("access_managers:enterprise", number=enterprise.number)
        else:
            form = forms.CoGapAddForm(initial={"niss": form.cleaned_data["niss"]})
    elif adding and hasattr(form, "person"):
        person = form.person
    context = {"enterprise": enterprise, "form": form, "person": person}
    return render(request, "access_managers/co_gap_add.html", context)


@guarded_by(permissions.enterprise_for_co_gap_edit)
@never_cache
@person_required
@require_http_methods(["GET", "POST"])
def co_gap_remove(request: HttpRequest, number: str, term_id: int) -> HttpResponse:
    """Remove a co-GAP, after a page that asks to confirm."""
    enterprise, actor = permissions.enterprise_for_co_gap_edit(request, number)
    term = selectors.co_gap_current(enterprise_number=enterprise.number, term_id=term_id)
    if term is None:
        messages.error(
            request,
            _("Cette personne n'est plus Co-Gestionnaire d'Accès Principal de cette entreprise."),
        )
        return redirect("access_managers:enterprise", number=enterprise.number)
    if request.method == "POST":
        try:
            co_gaps.co_gap_remove(enterprise=enterprise, term_id=term.pk, actor=actor)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(name)s n'est plus Co-Gestionnaire d'Accès Principal. Un e-mail l'en informe.")
                % {"name": term.person.full_name},
            )
        return redirect("access_managers:enterprise", number=enterprise.number)
    return render(
        request, "access_managers/co_gap_remove.html", {"enterprise": enterprise, "term": term}
    )
