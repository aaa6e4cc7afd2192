"""The GAs of an enterprise per domain and their addresses, which its GAP and co-GAPs manage
(flows.md §3), and the paged GAP history."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from access_managers import forms, listings, permissions, selectors
from access_managers.services import domain_managers
from csam_portal.core.access import guarded_by
from users.permissions import person_required


def _back(enterprise, domain=None) -> HttpResponse:
    """To the domain's page after a change; to the enterprise's domains when the term is gone."""
    if domain is not None:
        return redirect("access_managers:domain", number=enterprise.number, domain=domain.code)
    response = redirect("access_managers:enterprise", number=enterprise.number)
    response["Location"] += "#domains-title"
    return response


def _told(request: HttpRequest, done: domain_managers.Done, said: str) -> None:
    """The page message: what was done, and who was told (or that nobody could be)."""
    if done.told:
        messages.success(
            request,
            said + " " + _("Un e-mail l'en informe (%(to)s).") % {"to": ", ".join(done.told)},
        )
    else:
        messages.warning(
            request,
            said
            + " "
            + _(
                "Cette personne n'a aucune adresse e-mail : elle n'a pas pu en être informée. "
                "Ajoutez-lui une adresse e-mail."
            ),
        )


def _gone(request: HttpRequest, enterprise, message: str) -> HttpResponse:
    messages.error(request, message)
    return _back(enterprise)


@guarded_by(permissions.domain_for_domain_page)
@never_cache
@person_required
@require_GET
def domain_detail(request: HttpRequest, number: str, domain: str) -> HttpResponse:
    """A domain's page: its GAs and their addresses, a page at a time, with the actions of those
    who manage them (a GA of the domain sees it read-only)."""
    place, actor = permissions.domain_for_domain_page(request, number, domain)
    enterprise = place.enterprise
    context = {
        "enterprise": enterprise,
        "domain": place.domain,
        "current_gap": listings.gap_shown(enterprise_number=enterprise.number),
        "page": listings.domain_gas_page(
            enterprise_number=enterprise.number,
            domain=place.domain,
            number=request.GET.get("page"),
        ),
        "can_manage": permissions.can_manage_domain_managers(actor.roles, enterprise),
    }
    return render(request, "access_managers/domain_detail.html", context)


@guarded_by(permissions.enterprise_for_domain_managers_edit)
@never_cache
@person_required
@require_http_methods(["GET", "POST"])
def ga_add(request: HttpRequest, number: str, domain: str) -> HttpResponse:
    """«Ajouter un Gestionnaire d'Accès» on a domain: «NISS» → the person's name → «Ajouter»."""
    enterprise, actor = permissions.enterprise_for_domain_managers_edit(request, number)
    domain = selectors.domain_get(code=domain)
    if domain is None:
        raise Http404
    adding = request.method == "POST" and "add" in request.POST
    form = forms.PersonSearchForm(request.POST if request.method == "POST" else None)
    person = None
    if form.is_valid():
        person = form.person
        if adding:
            try:
                done = domain_managers.ga_add(
                    enterprise=enterprise, domain=domain, person=person, actor=actor
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                said = _("%(name)s est maintenant Gestionnaire d'Accès du domaine «%(domain)s».")
                _told(request, done, said % {"name": person.full_name, "domain": domain.name})
                return _back(enterprise, domain)
    context = {"enterprise": enterprise, "domain": domain, "form": form, "person": person}
    return render(request, "access_managers/ga_add.html", context)


@guarded_by(permissions.enterprise_for_domain_managers_edit)
@never_cache
@person_required
@require_http_methods(["GET", "POST"])
def ga_remove(request: HttpRequest, number: str, term_id: int) -> HttpResponse:
    """Remove a GA, after a page that asks to confirm."""
    enterprise, actor = permissions.enterprise_for_domain_managers_edit(request, number)
    term = selectors.ga_term_current(enterprise_number=enterprise.number, term_id=term_id)
    gone = _("Cette personne n'est plus Gestionnaire d'Accès de ce domaine.")
    if term is None:
        return _gone(request, enterprise, gone)
    if request.method == "POST":
        try:
            done = domain_managers.ga_remove(enterprise=enterprise, term_id=term.pk, actor=actor)
        except ValidationError as error:
            return _gone(request, enterprise, " ".join(error.messages))
        said = _("%(name)s n'est plus Gestionnaire d'Accès du domaine «%(domain)s».")
        _told(request, done, said % {"name": term.person.full_name, "domain": term.domain.name})
        return _back(enterprise, term.domain)
    context = {"enterprise": enterprise, "term": term}
    return render(request, "access_managers/ga_remove.html", context)


@guarded_by(permissions.enterprise_for_domain_managers_edit)
@never_cache
@person_required
@require_http_methods(["GET", "POST"])
def ga_email_add(request: HttpRequest, number: str, term_id: int) -> HttpResponse:
    """«Ajouter une adresse e-mail» to a GA → «Ajouter»."""
    enterprise, actor = permissions.enterprise_for_domain_managers_edit(request, number)
    term = selectors.ga_term_current(enterprise_number=enterprise.number, term_id=term_id)
    if term is None:
        return _gone(
            request, enterprise, _("Cette personne n'est plus Gestionnaire d'Accès de ce domaine.")
        )
    form = forms.ManagerEmailForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            done = domain_managers.ga_email_add(
                enterprise=enterprise,
                term_id=term.pk,
                email=form.cleaned_data["email"],
                actor=actor,
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            _told(request, done, _("L'adresse e-mail est ajoutée."))
            return _back(enterprise, term.domain)
    context = {"enterprise": enterprise, "term": term, "form": form, "address": None}
    return render(request, "access_managers/ga_email.html", context)


@guarded_by(permissions.enterprise_for_domain_managers_edit)
@never_cache
@person_required
@require_http_methods(["GET", "POST"])
def ga_email_edit(request: HttpRequest, number: str, email_id: int) -> HttpResponse:
    """The pencil: change one of a GA's addresses → «Enregistrer»."""
    enterprise, actor = permissions.enterprise_for_domain_managers_edit(request, number)
    address = selectors.ga_address_current(enterprise_number=enterprise.number, email_id=email_id)
    if address is None:
        return _gone(request, enterprise, _("Cette adresse e-mail n'est plus enregistrée."))
    data = request.POST if request.method == "POST" else None
    form = forms.ManagerEmailForm(data, initial={"email": address.email})
    if form.is_valid():
        try:
            done = domain_managers.ga_email_change(
                enterprise=enterprise,
                email_id=address.pk,
                email=form.cleaned_data["email"],
                actor=actor,
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            _told(request, done, _("L'adresse e-mail est modifiée."))
            return _back(enterprise, address.term.domain)
    context = {"enterprise": enterprise, "term": address.term, "form": form, "address": address}
    return render(request, "access_managers/ga_email.html", context)


@guarded_by(permissions.enterprise_for_domain_managers_edit)
@never_cache
@person_required
@require_http_methods(["GET", "POST"])
def ga_email_remove(request: HttpRequest, number: str, email_id: int) -> HttpResponse:
    """The cross: delete one of a GA's addresses, after a page that asks to confirm."""
    enterprise, actor = permissions.enterprise_for_domain_managers_edit(request, number)
    address = selectors.ga_address_current(enterprise_number=enterprise.number, email_id=email_id)
    if address is None:
        return _gone(request, enterprise, _("Cette adresse e-mail n'est plus enregistrée."))
    if request.method == "POST":
        try:
            done = domain_managers.ga_email_remove(
                enterprise=enterprise, email_id=address.pk, actor=actor
            )
        except ValidationError as error:
            return _gone(request, enterprise, " ".join(error.messages))
        _told(request, done, _("L'adresse e-mail est supprimée."))
        return _back(enterprise, address.term.domain)
    context = {"enterprise": enterprise, "address": address}
    return render(request, "access_managers/ga_email_remove.html", context)


@guarded_by(permissions.enterprise_for_domain_managers_edit)
@never_cache
@person_required
@require_GET
def gap_history(request: HttpRequest, number: str) -> HttpResponse:
    """Every GAP of the enterprise, newest first, a page at a time."""
    enterprise, _actor = permissions.enterprise_for_domain_managers_edit(request, number)
    page = listings.gap_history_page(
        enterprise_number=enterprise.number, number=request.GET.get("page")
    )
    context = {"enterprise": enterprise, "page": page}
    return render(request, "access_managers/gap_history.html", context)
