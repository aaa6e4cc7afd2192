"""Reads of registrations and access managers, with what their pages show already fetched."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from access_managers.models import (
    AccessManager,
    EnterpriseQuality,
    ExceptionalRequest,
    QualityMembership,
)
from enterprises.models import Enterprise

Role = AccessManager.Role


def gap_current(*, enterprise_number: str) -> AccessManager | None:
    """The enterprise's GAP today, with their person; None while it is not registered."""
    return (
        AccessManager.objects.select_related("person")
        .filter(enterprise_id=enterprise_number, role=Role.GAP, ended_at=None)
        .first()
    )


def access_manager_terms_of(*, niss: str) -> QuerySet[AccessManager]:
    """The person's current GAP and co-GAP terms, each with its enterprise and the enterprise's
    names: two queries, however many enterprises."""
    return (
        AccessManager.objects.filter(person_id=niss, ended_at=None)
        .select_related("enterprise")
        .prefetch_related("enterprise__denominations")
        .order_by("enterprise_id", "role")
    )


def enterprise_with_managers(*, number: str) -> Enterprise | None:
    """The enterprise with its names, addresses, current GAP and co-GAPs, and the GAP history
    (who, from, to, designated by, procedure): five queries, however many rows."""
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
            Prefetch("access_managers", queryset=history, to_attr="gap_terms"),
        )
        .filter(number=number)
        .first()
    )


def exceptional_request_for_ticket(
    *, ticket: str, enterprise_number: str
) -> ExceptionalRequest | None:
    """The request with this ticket, only if it is for this enterprise."""
    return ExceptionalRequest.objects.filter(ticket=ticket, enterprise_id=enterprise_number).first()


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
