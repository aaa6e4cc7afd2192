"""The GAP designation's wizards, standard and exceptional procedures (flows.md §1, §2), and
screen 4, «Gestionnaire d'Accès Principal désigné !»."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from access_managers import forms
from access_managers.models import AccessManager, ExceptionalRequest
from access_managers.services import designation, exceptional_requests
from access_managers.views.common import (
    DONE_SESSION_KEY,
    EXCEPTIONAL_SESSION_KEY,
    TICKETS_SESSION_KEY,
)
from csam_portal.core.access import public
from csam_portal.core.audit import Actor, client_ip
from csam_portal.core.wizards import ConfirmWizard, Step
from enterprises import selectors as enterprise_selectors
from users.models import Person
from users.permissions import person_required
from users.roles import Role

# The register's public search, where a person checks their legal functions (seed 001, screen 1).
BCE_PUBLIC_SEARCH_URL = "https://kbopub.economie.fgov.be/kbopub/zoeknummerform.html"
MANAGER_STEP = Step("manager", forms.ManagerStepForm, "access_managers/gap_designate_manager.html")
CONFIRMATION_STEP = Step(
    "confirmation",
    forms.ConfirmationStepForm,
    "access_managers/gap_designate_confirmation.html",
)


class DesignationWizard(ConfirmWizard):
    """Screens 1–3 of a GAP designation on the confirm-once base (csam_portal/core/wizards.py):
    «Confirmer» validates every screen again, then the service checks every rule once more under
    a lock, so a stale or tampered step cannot skip a check.

    A subclass gives its first step (whose form cleans to `number` and `seen_gap` and knows the
    `requester`), then MANAGER_STEP and CONFIRMATION_STEP, and `act`, from `designation_kwargs`.
    """

    def requester(self) -> Person | None:
        raise NotImplementedError

    def form_kwargs(self, step: str) -> dict:
        if step == "manager":
            seen_gap = self.checked(self.first).cleaned_data["seen_gap"]
            return {"requester": self.requester(), "current_gap_niss": seen_gap}
        return {}

    def step_context(self, step: str, form) -> dict:
        context = {"bce_public_search_url": BCE_PUBLIC_SEARCH_URL}
        if step == self.first:
            return context
        number = self.checked(self.first).cleaned_data["number"]
        context["enterprise"] = enterprise_selectors.enterprise_get(number=number)
        context["requester"] = self.requester()
        if step == "confirmation":
            context["designation"] = self.checked("manager").designation()
        return context

    def designation_kwargs(self, step_forms: dict, token: str) -> dict:
        """The service's arguments: what the screens say, the token, the requester as actor."""
        first = step_forms[self.first]
        return {
            "enterprise_number": first.cleaned_data["number"],
            "requester": first.requester,
            "seen_gap": first.cleaned_data["seen_gap"],
            "token": token,
            "actor": Actor.from_request(self.request, role=Role.LR),
            **step_forms["manager"].designation(),
        }


@method_decorator(never_cache, name="dispatch")
class GapDesignationWizard(DesignationWizard):
    """The standard procedure (flows.md §1): a legal representative logged in with a key."""

    steps = (
        Step(
            "enterprise", forms.EnterpriseStepForm, "access_managers/gap_designate_enterprise.html"
        ),
        MANAGER_STEP,
        CONFIRMATION_STEP,
    )
    prefix = "gap_designation_wizard"
    url_name = "access_managers:gap_designate_step"
    done_url = "access_managers:gap_designated"
    done_session_key = DONE_SESSION_KEY

    def requester(self) -> Person:
        return self.request.user.person

    def form_kwargs(self, step: str) -> dict:
        if step == self.first:
            return {"requester": self.requester()}
        return super().form_kwargs(step)

    def act(self, step_forms, token):
        return designation.gap_designate(**self.designation_kwargs(step_forms, token))

    def acted(self, token):
        return AccessManager.objects.filter(
            request_token=token, designated_by=self.request.user.niss
        ).first()


@method_decorator(never_cache, name="dispatch")
class ExceptionalRequestWizard(DesignationWizard):
    """The exceptional procedure (flows.md §2): no login; the legal representative says who
    they are, the register confirms it, and the request waits for the signed document."""

    steps = (
        Step("identity", forms.IdentityStepForm, "access_managers/gap_exceptional_identity.html"),
        MANAGER_STEP,
        CONFIRMATION_STEP,
    )
    prefix = "exceptional_request_wizard"
    url_name = "access_managers:gap_exceptional_step"
    done_url = "access_managers:exceptional_done"
    done_session_key = EXCEPTIONAL_SESSION_KEY

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_staff:
            raise PermissionDenied  # the back office processes requests, it does not make them
        return super().dispatch(request, *args, **kwargs)

    def requester(self) -> Person | None:
        identity = self.checked(self.first)
        return identity.requester if identity.is_valid() else None

    def before_validation(self, step: str, form) -> ValidationError | None:
        """Without a login, who someone is and whom they name are look-ups in the registers:
        each submit of either counts against the address's allowance (validating them again
        does not)."""
        if step == "manager" and not form.names_another_person:
            return None
        if exceptional_requests.identity_lookup_record(ip=client_ip(self.request)):
            return None
        if step == "manager":
            return ValidationError({"niss": forms.too_many_lookups()})
        return forms.too_many_lookups()

    def act(self, step_forms, token):
        exceptional = exceptional_requests.exceptional_request_create(
            language=self.request.LANGUAGE_CODE, **self.designation_kwargs(step_forms, token)
        )
        tickets = self.request.session.get(TICKETS_SESSION_KEY, [])
        self.request.session[TICKETS_SESSION_KEY] = [*tickets, exceptional.ticket][-20:]
        return exceptional

    def acted(self, token):
        tickets = self.request.session.get(TICKETS_SESSION_KEY, [])
        return ExceptionalRequest.objects.filter(request_token=token, ticket__in=tickets).first()


# A logged-in person starts the standard procedure; the legal-representative rule is its
# service's precondition (screen 1 asks it early). Anyone may ask by the exceptional one.
gap_designate = person_required(GapDesignationWizard.as_view())
gap_exceptional = public("access.md: anyone may ask for an exceptional designation, no login")(
    ExceptionalRequestWizard.as_view()
)


@never_cache
@person_required
@require_GET
def gap_designated(request: HttpRequest) -> HttpResponse:
    """Screen 4, «Gestionnaire d'Accès Principal désigné !», for the session that designated."""
    done = request.session.get(DONE_SESSION_KEY)
    if not done:
        return redirect("access_managers:gap_designate")
    gap = get_object_or_404(
        AccessManager.objects.select_related("person", "designated_by"),
        pk=done["id"],
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
