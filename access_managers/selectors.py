"""Reads of registrations and access managers, with what their pages show already fetched."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import translation

from access_managers.models import (
    AccessManager,
    EnterpriseQuality,
    ExceptionalRequest,
    ManagerEmail,
    MembershipApplication,
    QualityMembership,
)
from csam_portal.core.compiled import CompiledQuery
from enterprises.models import Domain, Enterprise, Quality, SecuredApplication
from enterprises.selectors import official_name, page_kbo_language

Role = AccessManager.Role


def gap_current(*, enterprise_number: str) -> AccessManager | None:
    """The enterprise's GAP today, with their person; None while it is not registered."""
    return (
        AccessManager.objects.select_related("person")
        .filter(enterprise_id=enterprise_number, role=Role.GAP, ended_at=None)
        .first()
    )


def access_manager_terms_of(*, niss: str) -> QuerySet[AccessManager]:
    """The person's current GAP, co-GAP and GA terms (those that open an enterprise's
    «Gestion des Gestionnaires d'Accès» page), each with its enterprise and the enterprise's
    names: two queries, however many enterprises."""
    return (
        AccessManager.objects.filter(
            person_id=niss, ended_at=None, role__in=[Role.GAP, Role.CO_GAP, Role.GA]
        )
        .select_related("enterprise", "domain")
        .prefetch_related("enterprise__denominations")
        .order_by("enterprise_id", "role")
    )


def co_gap_current(*, enterprise_number: str, term_id: int) -> AccessManager | None:
    """The co-GAP term `term_id` if it is a current co-GAP of the enterprise, with its person."""
    return (
        AccessManager.objects.select_related("person")
        .filter(pk=term_id, enterprise_id=enterprise_number, role=Role.CO_GAP, ended_at=None)
        .first()
    )


def exceptional_request_for_ticket(
    *, ticket: str, enterprise_number: str
) -> ExceptionalRequest | None:
    """The request with this ticket, only if it is for this enterprise."""
    return ExceptionalRequest.objects.filter(ticket=ticket, enterprise_id=enterprise_number).first()


@dataclass(frozen=True)
class EnterpriseDomain:
    """A domain of the catalogue, in one enterprise (its page of that domain)."""

    enterprise: Enterprise
    domain: Domain


def enterprises_named(*, numbers) -> list[Enterprise]:
    """The enterprises `numbers`, with their names, by number: one query."""
    return list(
        Enterprise.objects.filter(number__in=list(numbers))
        .annotate(official_name=official_name())
        .order_by("number")
    )


_DOMAIN = CompiledQuery(lambda *, code: Domain.objects.filter(code=code), text=("code",))


def domain_get(*, code: str) -> Domain | None:
    """The domain of the catalogue with this code: one query (compiled: every domain page)."""
    found = _DOMAIN.objects(code=code)
    return found[0] if found else None


def ga_term_current(*, enterprise_number: str, term_id: int) -> AccessManager | None:
    """The GA term `term_id` if it is a current GA of the enterprise, with its person and domain."""
    return (
        AccessManager.objects.select_related("person", "domain")
        .filter(pk=term_id, enterprise_id=enterprise_number, role=Role.GA, ended_at=None)
        .first()
    )


def ga_address_current(*, enterprise_number: str, email_id: int) -> ManagerEmail | None:
    """The address `email_id` if it is one of a current GA of the enterprise, with the GA's
    person and domain."""
    return (
        ManagerEmail.objects.select_related("term__person", "term__domain")
        .filter(
            pk=email_id,
            term__enterprise_id=enterprise_number,
            term__role=Role.GA,
            term__ended_at=None,
        )
        .first()
    )


def _attnames(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _quality_with_enterprise(*, quality_id: int, kbo_language: str) -> QuerySet:
    """The qualité's row, its enterprise's and its type's, and the enterprise's name."""
    return (
        EnterpriseQuality.objects.filter(pk=quality_id)
        .annotate(enterprise_name=official_name("enterprise_id", kbo_language=kbo_language))
        .values_list(
            *_attnames(EnterpriseQuality),
            *(f"enterprise__{name}" for name in _attnames(Enterprise)),
            *(f"quality__{name}" for name in _attnames(Quality)),
            "enterprise_name",
        )
    )


_QUALITY = CompiledQuery(_quality_with_enterprise, text=("kbo_language",), numbers=("quality_id",))


def quality_get(*, quality_id: int) -> EnterpriseQuality | None:
    """The enterprise's qualité with its type and its enterprise and the enterprise's name: one
    query (compiled: every page of a qualité reads it)."""
    rows = _QUALITY.rows(quality_id=quality_id, kbo_language=page_kbo_language())
    if not rows:
        return None
    row = rows[0]
    sizes = [len(_attnames(model)) for model in (EnterpriseQuality, Enterprise, Quality)]
    quality_values = row[: sizes[0]]
    enterprise_values = row[sizes[0] : sizes[0] + sizes[1]]
    type_values = row[sizes[0] + sizes[1] : -1]
    quality = EnterpriseQuality.from_db("default", _attnames(EnterpriseQuality), quality_values)
    enterprise = Enterprise.from_db("default", _attnames(Enterprise), enterprise_values)
    enterprise.official_name = row[-1]
    quality.enterprise = enterprise
    quality.quality = Quality.from_db("default", _attnames(Quality), type_values)
    return quality


def quality_list(*, enterprise_number: str) -> QuerySet[EnterpriseQuality]:
    """The enterprise's qualités with their type («Liste des qualités»): one query."""
    return (
        EnterpriseQuality.objects.filter(enterprise_id=enterprise_number)
        .select_related("quality")
        .order_by("quality__code", "identifier")
    )


def social_security_terms_of(*, niss: str) -> QuerySet[AccessManager]:
    """The person's current designations, each with its enterprise and its names, its domain or
    its qualité: two queries, however many enterprises (the home of the social security's access
    management keeps those that open it)."""
    return (
        AccessManager.objects.filter(person_id=niss, ended_at=None)
        .select_related("enterprise", "domain", "quality__quality")
        .prefetch_related("enterprise__denominations")
        .order_by("enterprise_id", "role", "quality__identifier")
    )


def membership_get_own(*, niss: str, quality_id: int) -> QualityMembership | None:
    """`niss`'s current membership of the qualité `quality_id` (blocked or not), with the
    qualité, its type, its enterprise and the enterprise's name: one query. None if they have
    none."""
    # `quality__pk`, not `quality_id`: the key's own lookup finds nothing for a number past
    # what the column holds (a URL's 999…9), where the foreign key's raises OverflowError.
    membership = (
        QualityMembership.objects.filter(person_id=niss, quality__pk=quality_id, ended_at=None)
        .select_related("quality__quality", "quality__enterprise")
        .annotate(enterprise_name=official_name("quality__enterprise_id"))
        .order_by("pk")
        .first()
    )
    if membership is not None:
        membership.quality.enterprise.official_name = membership.enterprise_name
    return membership


@dataclass
class EnterpriseApplications:
    """One enterprise and the person's active memberships of its qualités (each with its
    `granted` applications, by name): a part of «Mes applications»."""

    enterprise: Enterprise
    memberships: list[QualityMembership]


def applications_of(*, niss: str) -> list[EnterpriseApplications]:
    """The secured applications the person may use today, by enterprise and qualité: those
    granted on their current memberships that are not blocked, each with since when and who
    granted it; a membership without any is listed too (empty). Two queries, whatever the
    number of memberships and applications."""
    grants = MembershipApplication.objects.select_related("application", "granted_by")
    memberships = (
        QualityMembership.objects.filter(
            person_id=niss, ended_at=None, status=QualityMembership.Status.ACTIVE
        )
        .select_related("quality__quality", "quality__enterprise")
        .annotate(enterprise_name=official_name("quality__enterprise_id"))
        .prefetch_related(Prefetch("granted_applications", queryset=grants, to_attr="granted"))
        .order_by(
            "enterprise_name",
            "quality__enterprise_id",
            "quality__quality__code",
            "quality__identifier",
        )
    )
    found: dict[str, EnterpriseApplications] = {}
    for membership in memberships:
        enterprise = membership.quality.enterprise
        enterprise.official_name = membership.enterprise_name
        membership.granted.sort(key=lambda grant: grant.application.name.casefold())
        found.setdefault(
            enterprise.number, EnterpriseApplications(enterprise, [])
        ).memberships.append(membership)
    return list(found.values())


# A qualité's «Utilisateurs» (flows.md §4) ---------------------------------------------------------


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
