"""What the enterprise's «Gestion des Gestionnaires d'Accès» page shows, read by compiled queries.

The page shows the current GAP, the first CO_GAPS_ON_PAGE co-GAPs, every domain of the catalogue
with its first GAS_ON_PAGE GAs and their addresses, how many of each there are, and the qualités
nobody but the GAP manages; the rest is on the paged pages of its co-GAPs, of each domain and of
its GAP history. It is the portal's busiest page: its three queries are compiled once
(`csam_portal.core.compiled`), and their rows become `listings.ShownTerm`s holding only what
the page shows, so that the page costs the same whatever the number of terms
(tests/bench/pages.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber

from access_managers.listings import Named, ShownTerm, addresses, addresses_of
from access_managers.models import AccessManager, EnterpriseQuality
from csam_portal.core.compiled import CompiledQuery
from enterprises.models import Domain, Quality

Role = AccessManager.Role

CO_GAPS_ON_PAGE = 5
GAS_ON_PAGE = 2


@dataclass
class DomainManagers:
    """One domain of the catalogue, its first current GAs (each with `addresses`) and how many
    it has."""

    domain: Domain
    terms: list[ShownTerm] = field(default_factory=list)
    count: int = 0

    @property
    def more(self) -> int:
        """How many GAs of the domain are not in `terms`."""
        return self.count - len(self.terms)


@dataclass
class ManagersOverview:
    """The current GAP (or None), the first co-GAPs and how many there are, every domain with
    its first GAs."""

    gap: ShownTerm | None
    co_gaps: list[ShownTerm]
    co_gap_count: int
    domains: list[DomainManagers]


def _first_terms(*, enterprise_number: str) -> QuerySet:
    """The current GAP, the first co-GAPs and the first GAs of each domain (by name), each with
    how many its list holds, a GA with their addresses."""
    by_name = [F("person__last_name").asc(), F("person__first_name").asc(), F("pk").asc()]
    place = [F("role"), F("domain_id")]
    return (
        AccessManager.objects.filter(
            Q(role__in=[Role.GAP, Role.CO_GAP, Role.GA]),
            enterprise_id=enterprise_number,
            ended_at=None,
        )
        .annotate(
            rank=Window(RowNumber(), partition_by=place, order_by=by_name),
            count=Window(Count("pk"), partition_by=place),
            shown=Case(
                When(role=Role.CO_GAP, then=Value(CO_GAPS_ON_PAGE)),
                When(role=Role.GA, then=Value(GAS_ON_PAGE)),
                default=Value(1),
            ),
            addresses=addresses(),
        )
        .filter(rank__lte=F("shown"))
        .order_by("role", "domain_id", "rank")
        .values_list(
            "pk",
            "role",
            "domain_id",
            "count",
            "email",
            "phone",
            "started_at",
            "person__niss",
            "person__first_name",
            "person__last_name",
            "addresses",
        )
    )


_FIRST_TERMS = CompiledQuery(_first_terms, text=("enterprise_number",))
_DOMAINS = CompiledQuery(lambda: Domain.objects.order_by("code"))


def managers_overview(
    *, enterprise_number: str, domain_codes: frozenset[str] | None = None
) -> ManagersOverview:
    """The enterprise's `ManagersOverview`, every domain of the catalogue or only `domain_codes`:
    two queries, whatever the number of rows."""
    domains = [
        DomainManagers(domain)
        for domain in _DOMAINS.objects()
        if domain_codes is None or domain.code in domain_codes
    ]
    by_id = {entry.domain.pk: entry for entry in domains}
    overview = ManagersOverview(gap=None, co_gaps=[], co_gap_count=0, domains=domains)
    for row in _FIRST_TERMS.rows(enterprise_number=enterprise_number):
        pk, role, domain_id, count, email, phone, started_at, niss, first, last, joined = row
        term = ShownTerm(
            pk,
            role,
            Named(niss, first, last),
            email=email,
            phone=phone,
            started_at=started_at,
            addresses=addresses_of(joined),
        )
        if role == Role.GAP:
            overview.gap = term
        elif role == Role.CO_GAP:
            overview.co_gaps.append(term)
            overview.co_gap_count = count
        elif domain_id in by_id:
            by_id[domain_id].terms.append(term)
            by_id[domain_id].count = count
    return overview


_NAMES = ("name_fr", "name_nl", "name_de", "name_en")


def qualities_without_local_manager(*, enterprise_number: str) -> list[EnterpriseQuality]:
    """The enterprise's qualités that have no current GL nor co-GL, each with its type: one
    query."""
    qualities = []
    for pk, identifier, quality_id, code, *names in _WITHOUT_LOCAL_MANAGER.rows(
        enterprise_number=enterprise_number
    ):
        quality = EnterpriseQuality(
            pk=pk, enterprise_id=enterprise_number, quality_id=quality_id, identifier=identifier
        )
        quality.quality = Quality(pk=quality_id, code=code, **dict(zip(_NAMES, names, strict=True)))
        qualities.append(quality)
    return qualities


def _without_local_manager(*, enterprise_number: str) -> QuerySet:
    local_manager = AccessManager.objects.filter(
        quality=OuterRef("pk"), ended_at=None, role__in=[Role.GL, Role.CO_GL]
    )
    return (
        EnterpriseQuality.objects.filter(~Exists(local_manager), enterprise_id=enterprise_number)
        .order_by("quality__code", "identifier")
        .values_list(
            "pk", "identifier", "quality_id", "quality__code", *(f"quality__{n}" for n in _NAMES)
        )
    )


_WITHOUT_LOCAL_MANAGER = CompiledQuery(_without_local_manager, text=("enterprise_number",))


def continuity_risks(
    *, enterprise_number: str, overview: ManagersOverview
) -> tuple[bool, list[str]]:
    """What would be left unmanaged without the GAP: whether the enterprise has no co-GAP, and
    the names of the domains (of `overview`, every domain) and qualités managed by nobody else."""
    unmanaged = [entry.domain.name for entry in overview.domains if not entry.count]
    qualities = qualities_without_local_manager(enterprise_number=enterprise_number)
    unmanaged += [f"{quality.quality.name} {quality.identifier}" for quality in qualities]
    return not overview.co_gap_count, unmanaged
