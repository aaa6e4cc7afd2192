"""Reads of registrations and access managers, with what their pages show already fetched."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from access_managers.models import (
    AccessManager,
    EnterpriseQuality,
    ExceptionalRequest,
    ManagerEmail,
    QualityMembership,
)
from enterprises.models import Domain, Enterprise

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


# The GAP history the enterprise's page shows; the rest is on its paged history page.
HISTORY_ON_PAGE = 10


def enterprise_with_managers(*, number: str) -> Enterprise | None:
    """The enterprise with its names, addresses, current GAP and co-GAPs, and the last
    HISTORY_ON_PAGE terms of the GAP history (who, from, to, designated by, procedure): five
    queries, however many rows."""
    current = (
        AccessManager.objects.filter(ended_at=None, role=Role.CO_GAP)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )
    history = (
        AccessManager.objects.filter(role=Role.GAP)
        .select_related("person", "designated_by")
        .order_by("-started_at")
    )
    return (
        Enterprise.objects.prefetch_related(
            "denominations",
            "addresses",
            Prefetch("access_managers", queryset=current, to_attr="co_gaps"),
            Prefetch("access_managers", queryset=history[:HISTORY_ON_PAGE], to_attr="gap_terms"),
        )
        .filter(number=number)
        .first()
    )


def exceptional_request_for_ticket(
    *, ticket: str, enterprise_number: str
) -> ExceptionalRequest | None:
    """The request with this ticket, only if it is for this enterprise."""
    return ExceptionalRequest.objects.filter(ticket=ticket, enterprise_id=enterprise_number).first()


def enterprise_named(*, number: str) -> Enterprise | None:
    """The enterprise with its names: two queries."""
    return Enterprise.objects.prefetch_related("denominations").filter(number=number).first()


def gap_history(*, enterprise_number: str) -> QuerySet[AccessManager]:
    """Every GAP term of the enterprise, newest first, with who and who designated them (page
    it: one query a page, and one to count)."""
    return (
        AccessManager.objects.filter(enterprise_id=enterprise_number, role=Role.GAP)
        .select_related("person", "designated_by")
        .order_by("-started_at", "-pk")
    )


@dataclass
class DomainManagers:
    """One domain of the catalogue and its current GAs (each with `emails` fetched)."""

    domain: Domain
    terms: list[AccessManager] = field(default_factory=list)


def domain_managers(
    *, enterprise_number: str, domain_codes: frozenset[str] | None = None
) -> list[DomainManagers]:
    """Every domain of the catalogue (or only `domain_codes`), in catalogue order, with the
    enterprise's current GAs of it and their addresses: three queries, however many rows."""
    domains = Domain.objects.order_by("code")
    terms = (
        AccessManager.objects.filter(enterprise_id=enterprise_number, role=Role.GA, ended_at=None)
        .select_related("person")
        .prefetch_related("emails")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    if domain_codes is not None:
        domains = domains.filter(code__in=domain_codes)
        terms = terms.filter(domain__code__in=domain_codes)
    by_code = {domain.pk: DomainManagers(domain) for domain in domains}
    for term in terms:
        if term.domain_id in by_code:
            by_code[term.domain_id].terms.append(term)
    return list(by_code.values())


def continuity_risks(
    *, enterprise: Enterprise, domains: list[DomainManagers]
) -> tuple[bool, list[str]]:
    """What would be left unmanaged without the GAP: whether the enterprise (with its `co_gaps`
    fetched) has no co-GAP, and the names of the domains (of `domains`, as `domain_managers` gives
    them) and qualités managed by nobody else. One query."""
    unmanaged = [entry.domain.name for entry in domains if not entry.terms]
    qualities = qualities_without_local_manager(enterprise_number=enterprise.number)
    unmanaged += [f"{quality.quality.name} {quality.identifier}" for quality in qualities]
    return not enterprise.co_gaps, unmanaged


def qualities_without_local_manager(*, enterprise_number: str) -> list[EnterpriseQuality]:
    """The enterprise's qualités that have no current GL nor co-GL: one query."""
    current = Q(managers__ended_at=None, managers__role__in=[Role.GL, Role.CO_GL])
    return list(
        EnterpriseQuality.objects.filter(enterprise_id=enterprise_number)
        .select_related("quality")
        .annotate(local_managers=Count("managers", filter=current))
        .filter(local_managers=0)
        .order_by("quality__code", "identifier")
    )


def current_managers(*, enterprise_number: str) -> list[AccessManager]:
    """Every current designation of the enterprise (GAP, co-GAPs, GAs, GLs, co-GLs), with the
    person, domain, qualité and a GA's addresses: two queries, however many rows."""
    return list(
        AccessManager.objects.filter(enterprise_id=enterprise_number, ended_at=None)
        .select_related("person", "domain", "quality__quality")
        .prefetch_related("emails")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def enterprises_named(*, numbers) -> list[Enterprise]:
    """The enterprises `numbers`, with their names, by number: two queries."""
    return list(
        Enterprise.objects.filter(number__in=list(numbers))
        .prefetch_related("denominations")
        .order_by("number")
    )


def domain_get(*, code: str) -> Domain | None:
    """The domain of the catalogue with this code."""
    return Domain.objects.filter(code=code).first()


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


def quality_get(*, quality_id: int) -> EnterpriseQuality | None:
    """The enterprise's qualité with its type and its enterprise's names: two queries."""
    return (
        EnterpriseQuality.objects.select_related("enterprise", "quality")
        .prefetch_related("enterprise__denominations")
        .filter(pk=quality_id)
        .first()
    )


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


def quality_people(*, quality: EnterpriseQuality) -> list:
    """The qualité's GL, co-GLs and users, in that order, each as a row (person, term or None,
    membership or None) with the person's account: two queries, however many rows."""
    terms = (
        AccessManager.objects.filter(quality=quality, ended_at=None)
        .select_related("person__account")
        .order_by("role", "person__last_name", "person__first_name")
    )
    memberships = (
        QualityMembership.objects.filter(quality=quality, ended_at=None)
        .select_related("person__account")
        .order_by("person__last_name", "person__first_name")
    )
    by_person = {membership.person_id: membership for membership in memberships}
    rows = []
    for term in sorted(terms, key=lambda term: term.role != Role.GL):
        rows.append((term.person, term, by_person.pop(term.person_id, None)))
    rows.extend((membership.person, None, membership) for membership in by_person.values())
    return rows
