"""A qualité's users (flows.md §4): its home for the local manager, its detail, «Utilisateurs» with
its filters, table and CSV export, and «Rechercher utilisateurs». What is done to the users
(the actions, one user's page, «Ajouter un utilisateur») is views/user_actions.py's."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db import connection, transaction
from django.db.models import StringAgg, Value
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_tables2 import RequestConfig

from access_managers import (
    counts,
    permissions,
    quality_forms,
    quality_user_selectors,
    user_filters,
    user_forms,
)
from access_managers.models import QualityMembership
from access_managers.services import qualities as quality_services
from access_managers.tables import STATUS_LABELS, TYPE_LABELS, QualityUserTable, niss_spaced
from csam_portal.core.access import guarded_by
from users.permissions import person_required

Action = user_forms.Action
TEMPLATES = "access_managers/social_security"
SORTS = {"last_name", "first_name", "username", "type", "niss", "status"}


def page_context(quality, actor) -> dict:
    """What every page of a qualité shows: the qualité and which of its links the person may
    follow."""
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
    context = page_context(quality, actor) | {
        "as_local_manager": actor.roles.is_local_manager_of(quality.pk),
    }
    return render(request, f"{TEMPLATES}/quality_home.html", context)


@guarded_by(permissions.quality_for_user_management)
@never_cache
@person_required
@require_http_methods(["GET", "POST"])
def quality_detail(request: HttpRequest, quality_id: int) -> HttpResponse:
    """«Consulter ou modifier le détail de la qualité»: what the portal knows of it, its local
    managers and how many users it has (where its local managers are changed), and its contact
    data, which its managers change here."""
    quality, actor = permissions.quality_for_user_management(request, quality_id)
    data = request.POST if request.method == "POST" else None
    form = quality_forms.QualityContactForm(
        data, quality=quality, language=request.LANGUAGE_CODE[:2]
    )
    if form.is_valid():
        try:
            changed = quality_services.quality_contact_set(
                quality=quality, actor=actor, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)  # nothing was written; the form says why
        else:
            if changed:
                messages.success(request, _("Les données de la qualité ont bien été enregistrées."))
            else:
                messages.info(request, _("Vous n'avez rien changé : rien n'a été enregistré."))
            return redirect("access_managers:quality_detail", quality_id=quality.pk)
    context = (
        page_context(quality, actor)
        | quality_user_selectors.quality_summary(quality_id=quality.pk)
        | {"form": form}
    )
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
        results = quality_user_selectors.users_search(
            qualities=qualities, text=form.cleaned_data["q"]
        )
        more = len(results) > quality_user_selectors.SEARCH_LIMIT
        results = results[: quality_user_selectors.SEARCH_LIMIT]
    context = {
        "form": form,
        "results": results,
        "more": more,
        "limit": quality_user_selectors.SEARCH_LIMIT,
    }
    return render(request, f"{TEMPLATES}/users_search.html", context)


def _filtered(request: HttpRequest, quality):
    """The filters as asked and the rows they keep (none while a filter is refused)."""
    filters = user_filters.UserFilter(
        request.GET or None,
        queryset=quality_user_selectors.quality_members(quality_id=quality.pk),
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
    context = page_context(quality, actor) | {
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


EXPORT_BATCH = 1000  # rows per piece of the streamed export


def _csv_pieces(ordered, header, local, types, statuses) -> Iterator[bytes]:
    """The export's bytes, a batch of rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(header)
    for count, (last, first, username, niss, status, applications) in enumerate(
        ordered.iterator(chunk_size=2000), start=1
    ):
        writer.writerow(
            [
                _cell(last),
                _cell(first),
                _cell(username),
                types.get(local.get(niss), types[None]),
                niss_spaced(niss),
                statuses.get(status, status),
                _cell(", ".join(sorted((applications or "").split()))),
            ]
        )
        if count % EXPORT_BATCH == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


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
    # The applications aggregated in the query (one join, not a subquery per user); the GL and
    # co-GLs, a handful, read once. Rows are written a batch at a time.
    ordered = table.data.data.annotate(
        granted_codes=StringAgg("granted_applications__application__code", Value(" ")),
    ).values_list("last_name", "first_name", "username", "person_id", "status", "granted_codes")
    local = quality_user_selectors.local_roles_of(quality_id=quality.pk)
    header = [
        _("Nom"), _("Prénom"), _("Nom d'utilisateur"), _("Type"), _("NISS"), _("Statut"),
        _("Applications sécurisées"),
    ]  # fmt: skip
    types = {role: str(label) for role, label in TYPE_LABELS.items()}
    statuses = {status: str(label) for status, label in STATUS_LABELS.items()}

    def lines() -> Iterator[bytes]:
        # In a transaction of its own: PostgreSQL's cursor then needs no WITH HOLD copy of the
        # whole result, and is planned for all its rows, not the first tenth.
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")
            yield from _csv_pieces(ordered, header, local, types, statuses)

    filename = f"utilisateurs-{quality.identifier}-{timezone.localdate():%Y%m%d}.csv"
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
