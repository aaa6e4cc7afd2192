"""Naming a qualité's GL or a co-GL (flows.md §3 a, b) on the confirm-once wizard
(csam_portal/core/wizards.py): «NISS:» → «Suivant» → «Création d'un (Co-)Gestionnaire Local» →
«Enregistrer» → the recap → «Confirmer». The «Utilisateurs» page's bottom select posts the NISS
to `local_manager_start`, which hands it to the chosen wizard's first step."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from access_managers import permissions, quality_forms
from access_managers.models import AccessManager
from access_managers.services import local_managers
from access_managers.views import user_actions
from csam_portal.core.access import guarded_by
from csam_portal.core.wizards import ConfirmWizard, Step
from users.permissions import person_required

Role = AccessManager.Role
TEMPLATES = "access_managers/social_security"


@method_decorator(never_cache, name="dispatch")
class LocalManagerWizard(ConfirmWizard):
    """The three screens of naming a local manager of the qualité in the URL; a subclass says
    which (`role`), its service and its words."""

    steps = (
        Step("niss", quality_forms.NissStepForm, f"{TEMPLATES}/local_manager_niss.html"),
        Step(
            "details",
            quality_forms.LocalManagerStepForm,
            f"{TEMPLATES}/local_manager_details.html",
        ),
        Step("recap", quality_forms.RecapStepForm, f"{TEMPLATES}/local_manager_recap.html"),
    )
    role = ""
    service = None
    done_message = ""

    def dispatch(self, request, *args, quality_id: int, **kwargs):
        self.quality, self.actor = self.open(request, quality_id)
        return super().dispatch(request, *args, **kwargs)

    def open(self, request: HttpRequest, quality_id: int):
        """The qualité in the URL and the actor: the permission check (404 / 403)."""
        raise NotImplementedError

    @property
    def session_key(self) -> str:  # one request per qualité: two tabs on two qualités stay apart
        return f"wizard_{self.prefix}_{self.quality.pk}"

    def step_url(self, step: str) -> str:
        return reverse(self.url_name, kwargs={"quality_id": self.quality.pk, "step": step})

    def post(self, request: HttpRequest, step: str | None = None) -> HttpResponse:
        if step == self.first:  # a NISS starts a new request: nothing of an earlier one stays
            request.session.pop(self.session_key, None)
        return super().post(request, step)

    def form_kwargs(self, step: str) -> dict:
        if step == "niss":
            return {"quality": self.quality, "role": self.role}
        if step == "details":
            return {"quality": self.quality, "person": self.checked("niss").person}
        return {}

    def step_context(self, step: str, form) -> dict:
        context = {"quality": self.quality, "role": self.role}
        if step != "niss":
            context["person"] = self.checked("niss").person
        if step == "recap":
            details = self.checked("details")
            context["details"] = details.cleaned_data
            context["today"] = timezone.now()
            # «Date création»: since when the person is a user of the qualité (today if new).
            membership = details.membership
            context["created_at"] = membership.started_at if membership else context["today"]
        return context

    def act(self, step_forms, token):
        return type(self).service(
            quality=self.quality,
            person=step_forms["niss"].person,
            token=token,
            actor=self.actor,
            **step_forms["details"].cleaned_data,
        )

    def acted(self, token):
        return AccessManager.objects.filter(
            request_token=token, quality=self.quality, designated_by=self.request.user.niss
        ).first()

    def finish(self, result, token):
        self.request.session.pop(self.session_key, None)
        messages.success(self.request, self.done_message)
        return redirect("access_managers:quality_users", quality_id=self.quality.pk)


class GlChangeWizard(LocalManagerWizard):
    """«Changer de Gestionnaire Local»."""

    role = Role.GL
    service = local_managers.gl_change
    prefix = "gl_change_wizard"
    url_name = "access_managers:gl_change_step"
    done_message = gettext_lazy("Les données du Gestionnaire Local ont bien été enregistrées")

    def open(self, request, quality_id):
        return permissions.quality_for_local_manager_edit(request, quality_id)


class CoGlAddWizard(LocalManagerWizard):
    """«Ajouter un Co-Gestionnaire Local»."""

    role = Role.CO_GL
    service = local_managers.co_gl_add
    prefix = "co_gl_add_wizard"
    url_name = "access_managers:co_gl_add_step"
    done_message = gettext_lazy("Les données du Co-Gestionnaire Local ont bien été enregistrées")

    def open(self, request, quality_id):
        return permissions.quality_for_local_manager_edit(request, quality_id)


# Declared on the callable (the class view's `open` makes the call the declaration names).
gl_change = guarded_by(permissions.quality_for_local_manager_edit)(
    person_required(GlChangeWizard.as_view())
)
co_gl_add = guarded_by(permissions.quality_for_local_manager_edit)(
    person_required(CoGlAddWizard.as_view())
)
WIZARDS = {"user_add": user_actions.user_add, "gl_change": gl_change, "co_gl_add": co_gl_add}


@guarded_by(permissions.quality_for_user_management)
@never_cache
@person_required
@require_POST
def local_manager_start(request: HttpRequest, quality_id: int) -> HttpResponse:
    """The «Utilisateurs» page's bottom select with «NISS:» → «Suivant»: the chosen wizard's
    first step, as if posted to it (which checks its own right: a GL may only add users)."""
    quality, _actor = permissions.quality_for_user_management(request, quality_id)
    wizard = WIZARDS.get(request.POST.get("action", ""))
    if wizard is None:
        return redirect("access_managers:quality_users", quality_id=quality.pk)
    return wizard(request, quality_id=quality.pk, step="niss")
