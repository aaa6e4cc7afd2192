"""What a qualité's managers do to its users (flows.md §4 a–d): an action on the users checked in
«Utilisateurs» (its confirmation, then «Confirmer»), one user's page, and «Ajouter un
utilisateur» (NISS → «Création d'un Utilisateur» → recap → «Confirmer», on the confirm-once
wizard). The pages that list them are views/quality_users.py's."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from access_managers import permissions, quality_forms, quality_user_selectors, user_forms
from access_managers.models import QualityMembership
from access_managers.services import quality_users as services
from access_managers.tables import TYPE_LABELS
from access_managers.views.quality_users import TEMPLATES, page_context
from csam_portal.core.access import guarded_by
from csam_portal.core.wizards import ConfirmWizard, Step
from users import selectors as user_selectors
from users.permissions import person_required

Action = user_forms.Action


# An action on the checked users ----------------------------------------------------------------

# Per action: the confirmation's title, question, service and success message (flows.md §4 b–d,
# the seed's words and spelling).
_ACTIONS = {
    Action.ADD_APPLICATIONS: (
        gettext_lazy("Ajout d'application(s) à un groupe d'utilisateurs"),
        gettext_lazy(
            "Les applications que vous avez sélectionnés ci-dessous seront ajoutées aux "
            "utilisateurs que vous avez sélectionnés."
        ),
        services.applications_add,
        gettext_lazy(
            "Les applications que vous avez sélectionné ont été ajoutées aux utilisateurs que "
            "vous avez sélectionnés."
        ),
    ),
    Action.REMOVE_APPLICATIONS: (
        gettext_lazy("Suppression d'application(s) à un groupe d'utilisateurs"),
        gettext_lazy(
            "Les applications que vous avez sélectionnées ci-dessous seront supprimées aux "
            "utilisateurs que vous avez sélectionnés."
        ),
        services.applications_remove,
        gettext_lazy(
            "Les applications que vous avez sélectionnées ont été enlevées aux utilisateurs que "
            "vous avez sélectionnés."
        ),
    ),
    Action.BLOCK: (
        gettext_lazy("Blocage de l'utilisateur"),
        gettext_lazy("Etes-vous certain de vouloir bloquer le(s) utilisateur(s) suivant(s)?"),
        services.users_block,
        gettext_lazy("Le blocage du ou des utilisateur(s) a réussi"),
    ),
    Action.UNBLOCK: (
        gettext_lazy("Blocage de l'utilisateur"),
        gettext_lazy("Etes-vous certain de vouloir débloquer le(s) utilisateur(s) suivant(s)?"),
        services.users_unblock,
        gettext_lazy("Le déblocage du ou des utilisateur(s) a réussi"),
    ),
    Action.DELETE: (
        gettext_lazy("Suppression de l'utilisateur"),
        gettext_lazy("Etes-vous certain de vouloir supprimer le(s) utilisateur(s) suivant(s)?"),
        services.users_delete,
        gettext_lazy("La suppression du ou des utilisateur(s) a réussi"),
    ),
}
_WITH_APPLICATIONS = {Action.ADD_APPLICATIONS, Action.REMOVE_APPLICATIONS}


@guarded_by(permissions.quality_for_user_management)
@never_cache
@person_required
@require_http_methods(["GET", "POST"])
def quality_users_action(request: HttpRequest, quality_id: int) -> HttpResponse:
    """The action select's «Exécuter» (GET: the confirmation page) and its «Confirmer» (POST):
    the whole selection or nothing, and how many users changed."""
    quality, actor = permissions.quality_for_user_management(request, quality_id)
    back = redirect("access_managers:quality_users", quality_id=quality.pk)
    data = request.POST if request.method == "POST" else request.GET
    selection = user_forms.SelectionForm(data)
    if not selection.is_valid():
        messages.error(request, " ".join(e for errors in selection.errors.values() for e in errors))
        return back
    action, ids = selection.cleaned_data["action"], selection.cleaned_data["user"]
    rows = quality_user_selectors.quality_users_chosen(quality_id=quality.pk, membership_ids=ids)
    if len(rows) != len(set(ids)):
        messages.error(
            request,
            _(
                "Un utilisateur choisi n'est plus utilisateur de cette qualité. Rien n'a été "
                "modifié : recommencez depuis la liste."
            ),
        )
        return back
    title, question, service, done = _ACTIONS[action]
    applications = None
    if action in _WITH_APPLICATIONS:
        applications = user_forms.ApplicationsForm(
            request.POST if request.method == "POST" else None, quality=quality
        )
    if request.method == "POST" and (applications is None or applications.is_valid()):
        extra = {"applications": applications.cleaned_data["applications"]} if applications else {}
        try:
            changed = service(quality=quality, membership_ids=ids, actor=actor, **extra)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            count = ngettext(
                "%(count)d utilisateur modifié.", "%(count)d utilisateurs modifiés.", changed
            ) % {"count": changed}
            messages.success(request, f"{done} {count}")
        return back
    context = page_context(quality, actor) | {
        "title": title,
        "question": question,
        "action": action,
        "rows": [
            row | {"type": TYPE_LABELS.get(row["local_role"], TYPE_LABELS[None])} for row in rows
        ],
        "applications": applications,
        "form": applications,
    }
    return render(request, f"{TEMPLATES}/quality_users_action.html", context)


# One user ------------------------------------------------------------------------------------


@guarded_by(permissions.quality_for_user_management)
@never_cache
@person_required
@require_http_methods(["GET", "POST"])
def quality_user(request: HttpRequest, quality_id: int, membership_id: int) -> HttpResponse:
    """One user: their identification, and their addresses, applications and status to change."""
    quality, actor = permissions.quality_for_user_management(request, quality_id)
    membership = quality_user_selectors.quality_user_get(
        quality_id=quality.pk, membership_id=membership_id
    )
    if membership is None:
        raise Http404
    granted = [grant.application_id for grant in membership.granted_applications.all()]
    initial = {
        "email": membership.email,
        "local_email": membership.local_email,
        "applications": granted,
        "status": membership.status,
        "language": user_selectors.person_language(membership.person),
    }
    form = user_forms.UserEditForm(
        request.POST if request.method == "POST" else None, quality=quality, initial=initial
    )
    if form.is_valid():
        try:
            services.user_update(
                quality=quality, membership_id=membership.pk, actor=actor, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Les données de l'utilisateur ont bien été enregistrées"))
            return redirect("access_managers:quality_user", quality.pk, membership.pk)
    context = page_context(quality, actor) | {
        "membership": membership,
        "person": membership.person,
        "account": getattr(membership.person, "account", None),
        "form": form,
    }
    return render(request, f"{TEMPLATES}/quality_user.html", context)


# «Ajouter un utilisateur» -------------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class UserCreateWizard(ConfirmWizard):
    """«Ajouter un utilisateur»: «NISS:» → «Suivant» → «Création d'un Utilisateur» →
    «Enregistrer» → the recap → «Confirmer»."""

    steps = (
        Step("niss", user_forms.UserNissForm, f"{TEMPLATES}/user_add_niss.html"),
        Step("details", user_forms.UserDetailsForm, f"{TEMPLATES}/user_add_details.html"),
        Step("recap", quality_forms.RecapStepForm, f"{TEMPLATES}/user_add_recap.html"),
    )
    prefix = "user_add_wizard"
    url_name = "access_managers:user_add_step"

    def dispatch(self, request, *args, quality_id: int, **kwargs):
        self.quality, self.actor = permissions.quality_for_user_management(request, quality_id)
        return super().dispatch(request, *args, **kwargs)

    @property
    def session_key(self) -> str:
        return f"wizard_{self.prefix}_{self.quality.pk}"

    def step_url(self, step: str) -> str:
        return reverse(self.url_name, kwargs={"quality_id": self.quality.pk, "step": step})

    def post(self, request: HttpRequest, step: str | None = None) -> HttpResponse:
        if step == self.first:
            request.session.pop(self.session_key, None)
        return super().post(request, step)

    def form_kwargs(self, step: str) -> dict:
        if step == "niss":
            return {"quality": self.quality}
        if step == "details":
            return {"quality": self.quality, "person": self.checked("niss").person}
        return {}

    def step_context(self, step: str, form) -> dict:
        context = page_context(self.quality, self.actor)
        if step != "niss":
            context["person"] = self.checked("niss").person
        if step == "recap":
            details = self.checked("details")
            context["details"] = details.cleaned_data
            context["keeps_credentials"] = details.keeps_credentials
            context["today"] = context["created_at"] = timezone.now()
        return context

    def act(self, step_forms, token):
        details = step_forms["details"].cleaned_data
        return services.user_create(
            quality=self.quality,
            person=step_forms["niss"].person,
            username=details["username"],
            password_hash=details["password_hash"],
            email=details["email"],
            local_email=details["local_email"],
            language=details["language"],
            applications=details["applications"],
            token=token,
            actor=self.actor,
        )

    def acted(self, token):
        return QualityMembership.objects.filter(
            request_token=token, quality=self.quality, designated_by=self.request.user.niss
        ).first()

    def finish(self, result, token):
        self.request.session.pop(self.session_key, None)
        messages.success(self.request, _("Les données de l'utilisateur ont bien été enregistrées"))
        return redirect("access_managers:quality_users", quality_id=self.quality.pk)


user_add = guarded_by(permissions.quality_for_user_management)(
    person_required(UserCreateWizard.as_view())
)
