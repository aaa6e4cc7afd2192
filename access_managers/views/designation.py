"""The GAP designation's wizards, standard and exceptional procedures (flows.md §1, §2), and
screen 4, «Gestionnaire d'Accès Principal désigné !»."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from formtools.wizard.views import NamedUrlSessionWizardView

from access_managers import forms
from access_managers.models import AccessManager, ExceptionalRequest
from access_managers.services import designation, exceptional_requests
from access_managers.views.common import (
    DONE_SESSION_KEY,
    EXCEPTIONAL_SESSION_KEY,
    TICKETS_SESSION_KEY,
    _person_required,
)
from csam_portal.core.audit import Actor, client_ip
from enterprises import selectors as enterprise_selectors
from users.models import Person

REQUEST_CHANGED = gettext_lazy(
    "La demande a été modifiée entre-temps (dans un autre onglet ?). Vérifiez les données "
    "ci-dessous puis confirmez à nouveau."
)
BCE_PUBLIC_SEARCH_URL = "https://kbopub.economie.fgov.be/kbopub/zoeknummerform.html"
STEP_TEMPLATES = {
    "enterprise": "access_managers/gap_designate_enterprise.html",
    "identity": "access_managers/gap_exceptional_identity.html",
    "manager": "access_managers/gap_designate_manager.html",
    "confirmation": "access_managers/gap_designate_confirmation.html",
}


class DesignationWizard(NamedUrlSessionWizardView):
    """Screens 1–3 of a GAP designation, their state kept in the session. «Confirmer»
    validates every screen again from that state, then the service checks every rule once more
    under a lock: a stale or tampered step cannot skip a check. Nothing changes on a GET.

    A subclass names its first step (which cleans to `number` and `seen_gap` and knows the
    `requester`), where a new request starts (`entry`), and what «Confirmer» does (`carry_out`).
    """

    first = "enterprise"
    entry = ""
    done_session_key = ""
    done_url = ""

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
        done = self.request.session.get(self.done_session_key)
        token = self.request.POST.get("confirmation-token")
        if done and token and done.get("token") == token:
            return redirect(self.done_url)  # a second «Confirmer», after the first ended
        session_token = self.storage.extra_data.get("token")
        if not session_token:  # the request ended or never started
            return redirect(self.entry)
        carried_out = self.carried_out(session_token)
        if carried_out is not None:  # a second «Confirmer» that raced the first
            return self._finished(carried_out, session_token)
        posted_step = self.request.POST.get(f"{self.prefix}-current_step")
        if posted_step not in self.get_form_list() or not self._reached(posted_step):
            return redirect(self.get_step_url(self.steps.current))  # a forged or early step
        return super().post(*args, **kwargs)

    def _finished(self, result, token: str):
        self.storage.reset()
        self.request.session[self.done_session_key] = {"id": result.pk, "token": token}
        return redirect(self.done_url)

    def _refused(self, failed_step: str, form, token: str, **kwargs):
        """A check failed at «Confirmer»: if the same request was carried out meanwhile (a
        double click whose other half won), that is its answer; else the screen says why."""
        carried_out = self.carried_out(token)
        if carried_out is not None:
            return self._finished(carried_out, token)
        return self.render_revalidation_failure(failed_step, form, **kwargs)

    def process_step(self, form):
        self.__dict__.pop("_forms_checked", None)  # the session's data changes now
        # A new token for what screens 1 and 2 now say: a confirmation page shown before they
        # changed (another tab) can no longer confirm them.
        if self.steps.current != "confirmation":
            self.storage.extra_data = {"token": secrets.token_urlsafe(24)}
        data = super().process_step(form)
        if self.steps.current == self.first:  # the GAP it saw, as the form cleaned it
            data = data.copy()
            data[form.add_prefix("seen_gap")] = form.cleaned_data["seen_gap"] or ""
        return data

    def carried_out(self, token: str):
        """What a request with this token already made, if it was carried out."""
        raise NotImplementedError

    def _reached(self, step: str) -> bool:
        """A step is shown once the steps before it were filled in."""
        steps = list(self.get_form_list())
        return all(self.storage.get_step_data(before) for before in steps[: steps.index(step)])

    def requester(self) -> Person | None:
        raise NotImplementedError

    def first_step_kwargs(self) -> dict:
        return {}

    def get_form_kwargs(self, step=None):
        if step == self.first:
            return self.first_step_kwargs()
        if step == "manager":
            return {"requester": self.requester(), "current_gap_niss": self._seen_gap()}
        return {}

    def get_form_initial(self, step):
        if step == "confirmation":
            return {"token": self.storage.extra_data.get("token")}
        return super().get_form_initial(step)

    def _seen_gap(self) -> str | None:
        data = self.storage.get_step_data(self.first)
        return (data.get(f"{self.first}-seen_gap") or None) if data else None

    def _form_for(self, step: str):
        """`step`'s form bound to what the session holds, validated once per request (the
        page, the next screen's kwargs and «Confirmer» all ask for it)."""
        forms_checked = self.__dict__.setdefault("_forms_checked", {})
        if step not in forms_checked:
            form = self.get_form(step=step, data=self.storage.get_step_data(step))
            form.is_valid()
            forms_checked[step] = form
        return forms_checked[step]

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        if self.steps.current == self.first and form.is_bound:
            form.is_valid()  # shown again from the session: its notices and errors are known
        if self.steps.current != self.first:
            first_form = self._form_for(self.first)
            if first_form.is_valid():
                context["enterprise"] = enterprise_selectors.enterprise_get(
                    number=first_form.cleaned_data["number"]
                )
        if self.steps.current == "confirmation":
            manager_form = self._form_for("manager")
            if manager_form.is_valid():
                context["designation"] = manager_form.designation()
        if self.steps.current != self.first:
            context["requester"] = self.requester()
        context["bce_public_search_url"] = BCE_PUBLIC_SEARCH_URL
        return context

    def render_done(self, form, **kwargs):
        """WizardView's: every screen validated again, then `done`; on a refusal the request is
        kept and the user goes back to the screen that says why."""
        if form.cleaned_data.get("token") != self.storage.extra_data.get("token"):
            messages.error(self.request, REQUEST_CHANGED)
            return redirect(self.get_step_url("confirmation"))
        final_forms = {}
        for step in self.get_form_list():
            step_form = self._form_for(step)
            if not step_form.is_valid():
                return self._refused(step, step_form, self.storage.extra_data["token"], **kwargs)
            final_forms[step] = step_form
        return self.done(list(final_forms.values()), form_dict=final_forms, **kwargs)

    def done(self, form_list, form_dict, **kwargs):
        first_form, manager_form = form_dict[self.first], form_dict["manager"]
        token = self.storage.extra_data["token"]
        try:
            result = self.carry_out(
                number=first_form.cleaned_data["number"],
                requester=first_form.requester,
                seen_gap=first_form.cleaned_data["seen_gap"],
                token=token,
                manager=manager_form.designation(),
            )
        except ValidationError as error:
            carried_out = self.carried_out(token)
            if carried_out is not None:
                return self._finished(carried_out, token)
            # Something changed since the screen was filled in (another request won the race,
            # the legal function ended): the first screen says what.
            messages.error(self.request, " ".join(error.messages))
            self.storage.current_step = self.steps.first
            return redirect(self.get_step_url(self.steps.first))
        return self._finished(result, token)

    def carry_out(self, *, number, requester, seen_gap, token, manager):
        raise NotImplementedError


@method_decorator([never_cache, login_required], name="dispatch")
class GapDesignationWizard(DesignationWizard):
    """The standard procedure (flows.md §1): a legal representative logged in with a key."""

    form_list = [
        ("enterprise", forms.EnterpriseStepForm),
        ("manager", forms.ManagerStepForm),
        ("confirmation", forms.ConfirmationStepForm),
    ]
    entry = "access_managers:gap_designate"
    done_session_key = DONE_SESSION_KEY
    done_url = "access_managers:gap_designated"

    def dispatch(self, request, *args, **kwargs):
        _person_required(request)
        return super().dispatch(request, *args, **kwargs)

    def requester(self) -> Person:
        return self.request.user.person

    def first_step_kwargs(self) -> dict:
        return {"requester": self.request.user.person}

    def carried_out(self, token: str):
        return AccessManager.objects.filter(
            request_token=token, designated_by=self.request.user.niss
        ).first()

    def carry_out(self, *, number, requester, seen_gap, token, manager):
        return designation.gap_designate(
            enterprise_number=number,
            requester=requester,
            seen_gap=seen_gap,
            token=token,
            actor=Actor.from_request(self.request, role="LR"),
            **manager,
        )


@method_decorator(never_cache, name="dispatch")
class ExceptionalRequestWizard(DesignationWizard):
    """The exceptional procedure (flows.md §2): no login; the legal representative says who
    they are, the register confirms it, and the request waits for the signed document."""

    form_list = [
        ("identity", forms.IdentityStepForm),
        ("manager", forms.ManagerStepForm),
        ("confirmation", forms.ConfirmationStepForm),
    ]
    first = "identity"
    entry = "access_managers:gap_exceptional"
    done_session_key = EXCEPTIONAL_SESSION_KEY
    done_url = "access_managers:exceptional_done"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_staff:
            raise PermissionDenied  # the back office processes requests, it does not make them
        return super().dispatch(request, *args, **kwargs)

    def first_step_kwargs(self) -> dict:
        return {"ip": client_ip(self.request), "count_lookup": self._posting(self.first)}

    def _posting(self, step: str) -> bool:
        """This request submits `step` (a check that counts); re-checks of stored steps don't."""
        posted = self.request.POST.get(f"{self.prefix}-current_step")
        return self.request.method == "POST" and posted == step == self.steps.current

    def get_form_kwargs(self, step=None):
        kwargs = super().get_form_kwargs(step)
        if step == "manager":
            kwargs |= {"lookup_ip": client_ip(self.request), "count_lookup": self._posting(step)}
        return kwargs

    def _identity_lost(self, step: str | None) -> bool:
        """A later screen whose identity no longer holds (the register or the GAP changed, or
        the state was forged): back to the first screen, which says why."""
        return step in ("manager", "confirmation") and self.requester() is None

    def get(self, request, *args, **kwargs):
        if self._identity_lost(kwargs.get("step")):
            self.storage.current_step = self.first
            return redirect(self.get_step_url(self.first))
        return super().get(request, *args, **kwargs)

    def post(self, *args, **kwargs):
        if self._identity_lost(self.request.POST.get(f"{self.prefix}-current_step")):
            self.storage.current_step = self.first
            return redirect(self.get_step_url(self.first))
        return super().post(*args, **kwargs)

    def requester(self) -> Person | None:
        identity = self._form_for(self.first)
        return identity.requester if identity.is_valid() else None

    def carried_out(self, token: str):
        tickets = self.request.session.get(TICKETS_SESSION_KEY, [])
        return ExceptionalRequest.objects.filter(request_token=token, ticket__in=tickets).first()

    def carry_out(self, *, number, requester, seen_gap, token, manager):
        exceptional = exceptional_requests.exceptional_request_create(
            enterprise_number=number,
            requester=requester,
            seen_gap=seen_gap,
            token=token,
            language=self.request.LANGUAGE_CODE,
            actor=Actor.from_request(self.request, role="LR"),
            **manager,
        )
        tickets = self.request.session.get(TICKETS_SESSION_KEY, [])
        self.request.session[TICKETS_SESSION_KEY] = [*tickets, exceptional.ticket][-20:]
        return exceptional


gap_designate = GapDesignationWizard.as_view(url_name="access_managers:gap_designate_step")
gap_exceptional = ExceptionalRequestWizard.as_view(url_name="access_managers:gap_exceptional_step")


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
