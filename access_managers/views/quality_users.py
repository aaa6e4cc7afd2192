"""A qualité's users (flows.md §4): its home for the local manager, «Utilisateurs» with its
filters, table, action select and CSV export, the confirmation of an action on the checked
users, one user's page, and «Ajouter un utilisateur» (NISS → «Création d'un Utilisateur» →
recap → «Confirmer», on the confirm-once wizard)."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import CharField, OuterRef, StringAgg, Subquery, Value
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_tables2 import RequestConfig

from access_managers import counts, permissions, quality_forms, selectors, user_forms
from access_managers.models import MembershipApplication, QualityMembership
from access_managers.services import quality_users as services
from access_managers.tables import STATUS_LABELS, TYPE_LABELS, QualityUserTable, niss_spaced
from csam_portal.core.access import guarded_by
from csam_portal.core.wizards import ConfirmWizard, Step
from users import selectors as user_selectors
from users.permissions import person_required

Action = user_forms.Action
TEMPLATES = "access_managers/social_security"
SORTS = {"last_name", "first_name", "username", "type", "niss", "status"}


def _context(quality, actor) -> dict:
    return {
        "quality": quality,
        "can_manage_local_managers": permissions.can_manage_local_managers(actor.roles, quality),
        "can_see_rae_page": permissions.can_see_rae_page(actor.roles, quality.enterprise),
    }


@guarded_by(permissions.quality_for_user_management)
@never_cache
@person_required
@require_GET
def quality_home(request: HttpRequest, quality_id: int) -> HttpResponse:
    """The qualité's home: «Bienvenue …; vous accédez en tant que Gestionnaire Local …»."""
    quality, actor = permissions.quality_for_user_management(request, quality_id)
    context = _context(quality, actor) | {
        "as_local_manager": actor.roles.is_local_manager_of(quality.pk),
    }
    return render(request, f"{TEMPLATES}/quality_home.html", context)


@guarded_by(permissions.quality_for_user_management)
@never_cache
@person_required
@require_GET
def quality_detail(request: HttpRequest, quality_id: int) -> HttpResponse:
    """«Consulter ou modifier le détail de la qualité»: what the portal knows of it, its local
    managers and how many users it has; where its local managers are changed."""
    quality, actor = permissions.quality_for_user_management(request, quality_id)
    context = _context(quality, actor) | selectors.quality_summary(quality_id=quality.pk)
    return render(request, f"{TEMPLATES}/quality_detail.html", context)


@never_cache
@person_required
@require_GET
def users_search(request: HttpRequest) -> HttpResponse:
    """«Rechercher utilisateurs»: the users of every qualité the person manages whose name,
    username or NISS begins with what they typed."""
    form = user_forms.UserSearchForm(request.GET or None)
    results, more = None, False
    if form.is_valid():
        qualities = permissions.qualities_for_users_search(request)
        results = selectors.users_search(qualities=qualities, text=form.cleaned_data["q"])
        more = len(results) > selectors.SEARCH_LIMIT
        results = results[: selectors.SEARCH_LIMIT]
    context = {"form": form, "results": results, "more": more, "limit": selectors.SEARCH_LIMIT}
    return render(request, f"{TEMPLATES}/users_search.html", context)


def _filtered(request: HttpRequest, quality):
    """The filters as asked and the rows they keep (none while a filter is refused)."""
    filters = user_forms.UserFilter(
        request.GET or None,
        queryset=selectors.quality_members(quality_id=quality.pk),
        quality=quality,
    )
    if filters.is_bound and not filters.is_valid():
        return filters, filters.queryset.none()
    return filters, filters.qs


def _kept_count(filters, quality) -> int | None:
    """How many users the filters keep, when the qualité's kept counts say it (no filter but
    the status: access_managers/counts.py); None when they must be counted."""
    if not counts.kept_counts():
        return None
    asked = {}
    if filters.is_bound:
        if not filters.is_valid():
            return None
        asked = {name: value for name, value in filters.form.cleaned_data.items() if value}
    if set(asked) - {"status"}:
        return None
    status = asked.get("status")
    if status == QualityMembership.Status.ACTIVE:
        return quality.active_users
    if status == QualityMembership.Status.BLOCKED:
        return quality.blocked_users
    return quality.active_users + quality.blocked_users


def _sort_checked(request: HttpRequest) -> None:
    """A sort or a page number the table does not have is a 404 (tables2 would ignore it)."""
    sort, page = request.GET.get("sort"), request.GET.get("page")
    if sort is not None and sort.removeprefix("-") not in SORTS:
        raise Http404
    if page is not None and not (page.isdigit() and len(page) < 10):
        raise Http404


@guarded_by(permissions.quality_for_user_management)
@never_cache
@person_required
@require_GET
def quality_users(request: HttpRequest, quality_id: int) -> HttpResponse:
    """«Utilisateurs»: the filters, the table a page at a time, the action select, the export
    and «Ajouter un utilisateur»."""
    quality, actor = permissions.quality_for_user_management(request, quality_id)
    _sort_checked(request)
    filters, rows = _filtered(request, quality)
    table = QualityUserTable(
        rows,
        quality_id=quality.pk,
        selectable=True,
        order_by="last_name",
        count=_kept_count(filters, quality),
    )
    try:
        RequestConfig(request, paginate={"per_page": 10, "silent": False}).configure(table)
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404 from error
    context = _context(quality, actor) | {
        "filters": filters,
        "table": table,
        "actions": Action.choices,
        "query": request.GET.urlencode(),
    }
    return render(request, f"{TEMPLATES}/quality_users.html", context)


# The export -------------------------------------------------------------------------------------

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs: one that starts like a formula gets a
    leading apostrophe (OWASP's CSV injection advice)."""
    value = value or ""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


class _Lines:
    """csv.writer's file: each row written is returned, not stored."""

    def write(self, line: str) -> str:
        return line


@guarded_by(permissions.quality_for_user_management)
@never_cache
@person_required
@require_GET
def quality_users_export(request: HttpRequest, quality_id: int) -> HttpResponse:
    """«Exporter les utilisateurs (.csv)»: every user the filters keep, in the table's order,
    streamed; UTF-8 with a BOM and «;» between cells, as Belgian spreadsheets open it; the
    header row in the person's language."""
    quality, actor = permissions.quality_for_user_management(request, quality_id)
    _sort_checked(request)
    filters, rows = _filtered(request, quality)
    if filters.is_bound and filters.form.errors:
        messages.error(request, _("Corrigez les critères avant d'exporter les utilisateurs."))
        listing = reverse("access_managers:quality_users", args=[quality.pk])
        return redirect(f"{listing}?{request.GET.urlencode()}")
    table = QualityUserTable(rows, quality_id=quality.pk, selectable=False, order_by="last_name")
    RequestConfig(request, paginate=False).configure(table)
    codes = (
        MembershipApplication.objects.filter(membership=OuterRef("pk"))
        .order_by()
        .values("membership")
        .annotate(codes=StringAgg("application__code", Value(" ")))
        .values("codes")
    )
    ordered = (
        selectors.quality_user_rows(table.data.data)
        .annotate(applications=Subquery(codes, output_field=CharField()))
        .values_list(
            "last_name",
            "first_name",
            "username",
            "local_role",
            "person_id",
            "status",
            "applications",
        )
    )
    header = [
        _("Nom"), _("Prénom"), _("Nom d'utilisateur"), _("Type"), _("NISS"), _("Statut"),
        _("Applications sécurisées"),
    ]  # fmt: skip
    types = {role: str(label) for role, label in TYPE_LABELS.items()}
    statuses = {status: str(label) for status, label in STATUS_LABELS.items()}

    def lines() -> Iterator[str]:
        writer = csv.writer(_Lines(), delimiter=";", lineterminator="\r\n")
        yield "\ufeff" + writer.writerow(header)
        for last, first, username, role, niss, status, applications in ordered.iterator(
            chunk_size=2000
        ):
            yield writer.writerow(
                [
                    _cell(last),
                    _cell(first),
                    _cell(username),
                    types.get(role, types[None]),
                    niss_spaced(niss),
                    statuses.get(status, status),
                    _cell(", ".join(sorted((applications or "").split()))),
                ]
            )

    filename = f"utilisateurs-{quality.identifier}-{timezone.localdate():%Y%m%d}.csv"
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
    rows = selectors.quality_users_chosen(quality_id=quality.pk, membership_ids=ids)
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
    context = _context(quality, actor) | {
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
    membership = selectors.quality_user_get(quality_id=quality.pk, membership_id=membership_id)
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
    context = _context(quality, actor) | {
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
        context = _context(self.quality, self.actor)
        if step != "niss":
            context["person"] = self.checked("niss").person
        if step == "recap":
            details = self.checked("details")
            context["details"] = details.cleaned_data
            context["keeps_credentials"] = details.keeps_credentials
            context["today"] = timezone.now()
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
