"""Reads of registrations and access managers, with what their pages show already fetched."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from access_managers.models import (
    AccessManager,
    EnterpriseQuality,
    ExceptionalRequest,
    ManagerEmail,
    MembershipApplication,
    QualityMembership,
)
from csam_portal.core.compiled import CompiledQuery
from enterprises.models import Domain, Enterprise, Quality
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
