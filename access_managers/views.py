"""The GAP designation (flows.md §1), the access managers' home and the co-GAPs (§3)."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from formtools.wizard.views import NamedUrlSessionWizardView

from access_managers import forms, permissions, selectors, services
from access_managers.models import AccessManager
from csam_portal.audit import Actor
from enterprises import selectors as enterprise_selectors

DONE_SESSION_KEY = "gap_designation_done"
CO_GAP_ADDED = gettext_lazy(
    "%(name)s est maintenant Co-Gestionnaire d'Accès Principal. Un e-mail l'en informe."
)
# The register's public search, where a person checks their legal functions (seed 001, screen 1).
BCE_PUBLIC_SEARCH_URL = "https://kbopub.economie.fgov.be/kbopub/zoeknummerform.html"
STEP_TEMPLATES = {
    "enterprise": "access_managers/gap_designate_enterprise.html",
    "manager": "access_managers/gap_designate_manager.html",
    "confirmation": "access_managers/gap_designate_confirmation.html",
}


def _person_required(request: HttpRequest) -> None:
    """The flows are for people known by their NISS; a back-office account has none."""
    if request.user.niss is None:
        raise PermissionDenied


@method_decorator([never_cache, login_required], name="dispatch")
class GapDesignationWizard(NamedUrlSessionWizardView):
    """Screens 1–3, their state kept in the session. «Confirmer» validates every screen again
    from that state, then the service checks every rule once more under a lock: a stale or
    tampered step cannot skip a check. The designation happens on POST only; screen 4 is
    `gap_designated`."""

    form_list = [
        ("enterprise", forms.EnterpriseStepForm),
        ("manager", forms.ManagerStepForm),
        ("confirmation", forms.ConfirmationStepForm),
    ]

    def dispatch(self, request, *args, **kwargs):
        _person_required(request)
        return super().dispatch(request, *args, **kwargs)

    def get_template_names(self):
        return [STEP_TEMPLATES[self.steps.current]]

    def get(self, request, *args, **kwargs):
        step = kwargs.get("step")
        if step is None:  # «Désigner un Gestionnaire d'Accès Principal»: a new request
            self.storage.reset()
            self.storage.current_step = self.steps.first
        if not self.storage.extra_data.get("token"):
            self.storage.extra_data = {"token": secrets.token_urlsafe(24)}
        if step is None:
            return redirect(self.get_step_url(self.steps.first))
        if step == self.done_step_name:  # never designate on a GET
            return redirect(self.get_step_url(self.steps.current))
        if step in self.get_form_list() and not self._reached(step):
            return redirect(self.get_step_url(self.steps.first))
        return super().get(request, *args, **kwargs)

    def post(self, *args, **kwargs):
        done = self.request.session.get(DONE_SESSION_KEY)
        token = self.request.POST.get("confirmation-token")
        if done and token and done.get("token") == token:
            return redirect("access_managers:gap_designated")  # a second «Confirmer»
        if not self.storage.extra_data.get("token"):  # the request ended or never started
            return redirect("access_managers:gap_designate")
        return super().post(*args, **kwargs)

    def _reached(self, step: str) -> bool:
        """A step is shown once the steps before it were filled in."""
        steps = list(self.get_form_list())
        return all(self.storage.get_step_data(before) for before in steps[: steps.index(step)])

    def get_form_kwargs(self, step=None):
        requester = self.request.user.person
        if step == "enterprise":
            return {"requester": requester}
        if step == "manager":
            return {"requester": requester, "current_gap_niss": self._seen_gap()}
        return {}

    def get_form_initial(self, step):
        if step == "confirmation":
            return {"token": self.storage.extra_data.get("token")}
        return super().get_form_initial(step)

    def _seen_gap(self) -> str | None:
        data = self.storage.get_step_data("enterprise")
        return (data.get("enterprise-seen_gap") or None) if data else None

    def _form_for(self, step: str):
        return self.get_form(step=step, data=self.storage.get_step_data(step))

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        if self.steps.current != "enterprise":
            enterprise_form = self._form_for("enterprise")
            if enterprise_form.is_valid():
                context["enterprise"] = enterprise_selectors.enterprise_get(
                    number=enterprise_form.cleaned_data["number"]
                )
        if self.steps.current == "confirmation":
            manager_form = self._form_for("manager")
            if manager_form.is_valid():
                context["manager"] = manager_form
                context["designation"] = manager_form.designation()
        context["requester"] = self.request.user.person
        context["bce_public_search_url"] = BCE_PUBLIC_SEARCH_URL
        return context

    def render_done(self, form, **kwargs):
        """WizardView's: every screen validated again, then `done`; on a refusal the request is
        kept and the user goes back to the screen that says why."""
        final_forms = {}
        for step in self.get_form_list():
            step_form = self._form_for(step)
            if not step_form.is_valid():
                return self.render_revalidation_failure(step, step_form, **kwargs)
            final_forms[step] = step_form
        return self.done(list(final_forms.values()), form_dict=final_forms, **kwargs)

    def done(self, form_list, form_dict, **kwargs):
        enterprise_form, manager_form = form_dict["enterprise"], form_dict["manager"]
        token = self.storage.extra_data["token"]
        try:
            gap = services.gap_designate(
                enterprise_number=enterprise_form.cleaned_data["number"],
                requester=self.request.user.person,
                seen_gap=enterprise_form.cleaned_data["seen_gap"],
                token=token,
                actor=Actor.from_request(self.request, role="LR"),
                **manager_form.designation(),
            )
        except ValidationError as error:
            # Something changed since the screen was filled in (another request won the race,
            # the legal function ended): the first screen says what.
            messages.error(self.request, " ".join(error.messages))
            self.storage.current_step = self.steps.first
            return redirect(self.get_step_url(self.steps.first))
        self.storage.reset()
        self.request.session[DONE_SESSION_KEY] = {"term": gap.pk, "token": token}
        return redirect("access_managers:gap_designated")


gap_designate = GapDesignationWizard.as_view(url_name="access_managers:gap_designate_step")


@never_cache
@login_required
@require_GET
def gap_designated(request: HttpRequest) -> HttpResponse:
    """Screen 4, «Gestionnaire d'Accès Principal désigné !», for the session that designated."""
    done = request.session.get(DONE_SESSION_KEY)
    if not done:
        return redirect("access_managers:gap_designate")
    gap = get_object_or_404(
        AccessManager.objects.select_related("person", "designated_by"),
        pk=done["term"],
        designated_by=request.user.niss,
    )
    enterprise = enterprise_selectors.enterprise_get(number=gap.enterprise_id)
    context = {
        "gap": gap,
        "enterprise": enterprise,
        "self_designated": gap.person_id == gap.designated_by_id,
        "is_gap": gap.person_id == request.user.niss and gap.is_current,
    }
    return render(request, "access_managers/gap_designated.html", context)


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


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def co_gap_add(request: HttpRequest, number: str) -> HttpResponse:
    """Name a co-GAP: search by NISS → the person's name → e-mail → «Ajouter»."""
    _person_required(request)
    enterprise, actor = permissions.enterprise_for_co_gap_edit(request, number)
    adding = request.method == "POST" and "add" in request.POST
    form_class = forms.CoGapAddForm if adding else forms.CoGapSearchForm
    form = form_class(request.POST if request.method == "POST" else None)
    person = None
    if form.is_valid():
        person = form.person
        if adding:
            try:
                services.co_gap_add(
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


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def co_gap_remove(request: HttpRequest, number: str, term_id: int) -> HttpResponse:
    """Remove a co-GAP, after a page that asks to confirm."""
    _person_required(request)
    enterprise, actor = permissions.enterprise_for_co_gap_edit(request, number)
    term = next((term for term in enterprise.co_gaps if term.pk == term_id), None)
    if term is None:
        messages.error(
            request,
            _("Cette personne n'est plus Co-Gestionnaire d'Accès Principal de cette entreprise."),
        )
        return redirect("access_managers:enterprise", number=enterprise.number)
    if request.method == "POST":
        try:
            services.co_gap_remove(enterprise=enterprise, term_id=term.pk, actor=actor)
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
