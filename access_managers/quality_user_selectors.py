"""Reads of a qualité's «Utilisateurs» (flows.md §4): its members, a page's rows, one user, the
search across the qualités a person manages and the qualité's summary."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import translation

from access_managers.models import (
    AccessManager,
    EnterpriseQuality,
    MembershipApplication,
    QualityMembership,
)
from csam_portal.core.compiled import CompiledQuery
from enterprises.models import SecuredApplication
from enterprises.selectors import official_name, page_kbo_language

Role = AccessManager.Role


def quality_members(*, quality_id: int) -> QuerySet:
    """The qualité's current memberships, with nothing joined: what «Utilisateurs» filters,
    sorts, counts and pages on the membership table's indexes (models/qualities.py). The
    columns it shows are `quality_user_rows`'."""
    return QualityMembership.objects.filter(quality_id=quality_id, ended_at=None)


def local_role_of_member() -> Subquery:
    """The GL or co-GL role a membership's person holds in its qualité, if any (a person holds
    at most one: constraint accessmanager_one_current_local_term)."""
    return Subquery(
        AccessManager.objects.filter(
            quality_id=OuterRef("quality_id"),
            person_id=OuterRef("person_id"),
            ended_at=None,
            role__in=[Role.GL, Role.CO_GL],
        )
        .order_by()
        .values("role")[:1]
    )


def local_manager_nisses(*, quality_id: int) -> QuerySet:
    """The NISS of the qualité's GL and co-GLs, as a subquery."""
    return AccessManager.objects.filter(
        quality_id=quality_id,
        ended_at=None,
        role__in=[Role.GL, Role.CO_GL],
    ).values("person_id")


def quality_user_rows(members: QuerySet) -> QuerySet:
    """`members` (from `quality_members`, filtered and ordered) as the rows (dicts) of the table:
    the names and the account's username the membership keeps, the NISS, the status, and
    `local_role`."""
    return members.annotate(local_role=local_role_of_member()).values(
        "pk", "last_name", "first_name", "username", "local_role", "person_id", "status"
    )


def _applications_of(*, quality_type: int) -> QuerySet:
    return (
        SecuredApplication.objects.filter(qualities=quality_type)
        .order_by("code")
        .values_list("pk", "code", "name_fr", "name_nl", "name_de", "name_en")
    )


_APPLICATIONS = CompiledQuery(_applications_of, numbers=("quality_type",))


def application_choices(*, quality: EnterpriseQuality) -> list[tuple[int, str, str]]:
    """The secured applications of the qualité's type, by code: (key, code, name in the page's
    language). One compiled query (the filters of every «Utilisateurs» page read them)."""
    language = (translation.get_language() or "fr")[:2]
    column = {"fr": 2, "nl": 3, "de": 4, "en": 5}.get(language, 2)
    return [
        (row[0], row[1], row[column] or row[2])
        for row in _APPLICATIONS.rows(quality_type=quality.quality_id)
    ]


ROW_FIELDS = ("pk", "last_name", "first_name", "username", "local_role", "person_id", "status")
PAGE_ROWS = 10  # «Utilisateurs» shows ten rows a page


def _rows_of(**ids: int) -> QuerySet:
    return (
        QualityMembership.objects.filter(pk__in=list(ids.values()))
        .annotate(local_role=local_role_of_member())
        .values_list(*ROW_FIELDS)
    )


_ROWS = CompiledQuery(_rows_of, numbers=tuple(f"id{index}" for index in range(PAGE_ROWS)))


def quality_user_rows_of(ids: list[int]) -> list[dict]:
    """The rows (`quality_user_rows`'s dicts) of the memberships `ids`, in that order: ten at a
    time in one compiled query (a page of «Utilisateurs», whose ids its filters and order
    chose)."""
    found = {}
    for start in range(0, len(ids), PAGE_ROWS):
        chunk = ids[start : start + PAGE_ROWS]
        padded = chunk + [0] * (PAGE_ROWS - len(chunk))  # no membership has the key 0
        values = {f"id{index}": pk for index, pk in enumerate(padded)}
        found |= {row[0]: dict(zip(ROW_FIELDS, row, strict=True)) for row in _ROWS.rows(**values)}
    return [found[pk] for pk in ids if pk in found]


def local_roles_of(*, quality_id: int) -> dict[str, str]:
    """The qualité's GL and co-GLs: their role by NISS."""
    return dict(
        AccessManager.objects.filter(
            quality_id=quality_id, ended_at=None, role__in=[Role.GL, Role.CO_GL]
        ).values_list("person_id", "role")
    )


def quality_users(*, quality_id: int) -> QuerySet:
    """Every current user of the qualité as a row (`quality_user_rows`)."""
    return quality_user_rows(quality_members(quality_id=quality_id))


def quality_user_get(*, quality_id: int, membership_id: int) -> QualityMembership | None:
    """One current user of the qualité, with their person, account and applications."""
    return (
        QualityMembership.objects.filter(pk=membership_id, quality_id=quality_id, ended_at=None)
        .select_related("person__account")
        .prefetch_related(
            Prefetch(
                "granted_applications",
                queryset=MembershipApplication.objects.select_related("application").order_by(
                    "application__code"
                ),
            )
        )
        .first()
    )


def quality_users_chosen(*, quality_id: int, membership_ids) -> list[dict]:
    """The chosen current users of the qualité, by name (a confirmation page's list)."""
    return list(
        quality_users(quality_id=quality_id)
        .filter(pk__in=list(membership_ids))
        .order_by("last_name", "first_name", "pk")
    )


SEARCH_LIMIT = 50


def users_search(*, qualities: Q, text: str) -> list[QualityMembership]:
    """The current users of the qualités `qualities` (a condition on EnterpriseQuality: see
    permissions.qualities_for_users_search) whose last name, first name or username begins
    with `text`, or whose NISS does when `text` is a number, by name; at most SEARCH_LIMIT + 1
    (the page says when there are more)."""
    digits = "".join(ch for ch in text if ch.isdigit())
    matches = Q(last_name__istartswith=text) | Q(first_name__istartswith=text)
    matches |= Q(username__istartswith=text)
    if digits and len(digits) == len(text.replace(".", "").replace("-", "").replace(" ", "")):
        matches = Q(person__niss__startswith=digits)
    managed = EnterpriseQuality.objects.filter(qualities)
    return list(
        QualityMembership.objects.filter(matches, ended_at=None, quality__in=managed)
        .annotate(
            enterprise_name=official_name(
                "quality__enterprise_id", kbo_language=page_kbo_language()
            )
        )
        .select_related("person__account", "quality__quality")
        .order_by("last_name", "first_name", "pk")[: SEARCH_LIMIT + 1]
    )


def quality_summary(*, quality_id: int) -> dict:
    """What «détail de la qualité» shows beside the qualité: its current local managers (GL
    first) and how many active and blocked users it has."""
    managers = list(
        AccessManager.objects.filter(
            quality_id=quality_id, ended_at=None, role__in=[Role.GL, Role.CO_GL]
        )
        .select_related("person")
        .order_by("role", "person__last_name", "person__first_name")
    )
    counts = dict(
        QualityMembership.objects.filter(quality_id=quality_id, ended_at=None)
        .order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
    )
    return {
        "local_managers": sorted(managers, key=lambda term: term.role != Role.GL),
        "active_count": counts.get(QualityMembership.Status.ACTIVE, 0),
        "blocked_count": counts.get(QualityMembership.Status.BLOCKED, 0),
    }
