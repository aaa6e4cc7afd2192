"""The paged lists of the access managers' pages, each page in one compiled query.

The co-GAPs, a domain's GAs with their addresses, «Qui gère nos accès ?» and the GAP history
are read a page at a time by `csam_portal.core.compiled.page_of`: the page's rows and how many
there are in one query, compiled once. Each row becomes a `ShownTerm`: what the page shows of
a designation (its person, who designated them, its domain or qualité and, for a GA, its
addresses), plain data from which no template can start a query. Together with `overview`
(the enterprise's page) these are what tests/bench/pages.py times.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import (
    Case,
    CharField,
    F,
    OuterRef,
    QuerySet,
    StringAgg,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat

from access_managers.models import (
    AccessManager,
    EnterpriseQuality,
    ManagerEmail,
)
from access_managers.models.registrations import Procedure
from csam_portal.core.compiled import CompiledQuery, page_of, ranked
from enterprises.models import Domain, Quality

Role = AccessManager.Role

PER_PAGE = 10
_NAMES = ("name_fr", "name_nl", "name_de", "name_en")
_BY_NAME = [F("person__last_name").asc(), F("person__first_name").asc(), F("pk").asc()]
# A GA's addresses in one text: "<id> <address>" lines (no address holds a space or a newline).
_SEPARATOR = "\n"


def addresses() -> Case:
    """A GA term's addresses for its domain, in one text that `addresses_of` reads (in no
    order: not every database orders an aggregate). Only a GA has any: the other roles' rows
    skip the subquery (a list of every current term would otherwise run it for each)."""
    line = Concat(
        Cast("pk", output_field=CharField()), Value(" "), F("email"), output_field=CharField()
    )
    joined = (
        ManagerEmail.objects.filter(term=OuterRef("pk"))
        .order_by()
        .values("term")
        .annotate(joined=StringAgg(line, Value(_SEPARATOR)))
        .values("joined")
    )
    return Case(When(role=Role.GA, then=Subquery(joined)), default=None)


@dataclass(frozen=True, slots=True)
class Named:
    """A person as the lists name them."""

    niss: str
    first_name: str
    last_name: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True, slots=True)
class Address:
    """One of a GA's addresses for their domain."""

    pk: int
    email: str


@dataclass(slots=True)
class ShownTerm:
    """A designation as the access managers' pages show it."""

    pk: int
    role: str
    person: Named
    email: str = ""
    phone: str = ""
    started_at: datetime.datetime | None = None
    ended_at: datetime.datetime | None = None
    procedure: str = ""
    designated_by: Named | None = None
    domain: Domain | None = None
    quality: EnterpriseQuality | None = None
    addresses: list[Address] = field(default_factory=list)

    @property
    def is_current(self) -> bool:
        return self.ended_at is None

    @property
    def place(self) -> str:
        """The domain or the qualité the term is for; "" for the GAP and co-GAPs (all)."""
        if self.domain is not None:
            return self.domain.name
        if self.quality is not None:
            return f"{self.quality.quality.name} – {self.quality.identifier}"
        return ""

    @property
    def contacts(self) -> list[str]:
        """Where to write to the person: a GA's addresses for their domain, another's own."""
        if self.role == Role.GA:
            return [address.email for address in self.addresses]
        return [self.email] if self.email else []

    def get_role_display(self) -> str:
        return str(Role(self.role).label)

    def get_procedure_display(self) -> str:
        return str(Procedure(self.procedure).label) if self.procedure else ""


def addresses_of(joined: str | None) -> list[Address]:
    """The addresses `addresses()` joined, by address."""
    found = []
    for line in (joined or "").split(_SEPARATOR):
        if line:
            pk, email = line.split(" ", 1)
            found.append(Address(int(pk), email))
    return sorted(found, key=lambda address: address.email)


# The GAP ---------------------------------------------------------------------------------------


def _gap(*, enterprise_number: str) -> QuerySet:
    return AccessManager.objects.filter(
        enterprise_id=enterprise_number, role=Role.GAP, ended_at=None
    ).values_list("pk", "email", "started_at", "person__niss", "person__first_name",
                  "person__last_name")  # fmt: skip


_GAP = CompiledQuery(_gap, text=("enterprise_number",))


def gap_shown(*, enterprise_number: str) -> ShownTerm | None:
    """The enterprise's current GAP as its pages name them (name, address, since): one query."""
    for pk, email, started_at, *named in _GAP.rows(enterprise_number=enterprise_number):
        return ShownTerm(pk, Role.GAP, Named(*named), email=email, started_at=started_at)
    return None


# The co-GAPs ----------------------------------------------------------------------------------


def _co_gaps(*, enterprise_number: str, first: int, last: int) -> QuerySet:
    terms = AccessManager.objects.filter(
        enterprise_id=enterprise_number, role=Role.CO_GAP, ended_at=None
    )
    return ranked(terms, _BY_NAME, first=first, last=last).values_list(
        "pk", "email", "started_at", "person__niss", "person__first_name", "person__last_name",
        "page_total",
    )  # fmt: skip


_CO_GAPS = CompiledQuery(_co_gaps, text=("enterprise_number",), numbers=("first", "last"))


def _co_gap(row: tuple) -> AccessManager:
    pk, email, started_at, *named = row
    return ShownTerm(pk, Role.CO_GAP, Named(*named), email=email, started_at=started_at)


def co_gaps_page(*, enterprise_number: str, number: str | None) -> Page:
    """Page `number` of the enterprise's current co-GAPs, by name."""
    return page_of(
        _CO_GAPS, number, per_page=PER_PAGE, make=_co_gap, enterprise_number=enterprise_number
    )


# A domain's GAs -------------------------------------------------------------------------------


def _domain_gas(*, enterprise_number: str, domain_code: str, first: int, last: int) -> QuerySet:
    terms = AccessManager.objects.filter(
        enterprise_id=enterprise_number, role=Role.GA, domain__code=domain_code, ended_at=None
    ).annotate(addresses=addresses())
    return ranked(terms, _BY_NAME, first=first, last=last).values_list(
        "pk", "started_at", "person__niss", "person__first_name", "person__last_name",
        "addresses", "page_total",
    )  # fmt: skip


_DOMAIN_GAS = CompiledQuery(
    _domain_gas, text=("enterprise_number", "domain_code"), numbers=("first", "last")
)


def _ga(row: tuple) -> AccessManager:
    pk, started_at, niss, first_name, last_name, joined = row
    person = Named(niss, first_name, last_name)
    return ShownTerm(pk, Role.GA, person, started_at=started_at, addresses=addresses_of(joined))


def domain_gas_page(*, enterprise_number: str, domain: Domain, number: str | None) -> Page:
    """Page `number` of the enterprise's current GAs of `domain`, by name, with their
    addresses."""
    return page_of(
        _DOMAIN_GAS,
        number,
        per_page=PER_PAGE,
        make=_ga,
        enterprise_number=enterprise_number,
        domain_code=domain.code,
    )


# «Qui gère nos accès ?» ------------------------------------------------------------------------

# The roles in this order; a qualité's GL and co-GLs together, the qualité sorting them.
WHO_MANAGES_ORDER = [Role.GAP, Role.CO_GAP, Role.GA, Role.GL, Role.CO_GL]


def _who_manages(*, enterprise_number: str, first: int, last: int) -> QuerySet:
    rank = Case(
        *(When(role=role, then=Value(index)) for index, role in enumerate(WHO_MANAGES_ORDER)),
        default=Value(len(WHO_MANAGES_ORDER)),
    )
    group = Case(When(role__in=[Role.GL, Role.CO_GL], then=Value(3)), default=rank)
    order = [
        group.asc(),
        F("domain__code").asc(),
        F("quality__quality__code").asc(),
        F("quality__identifier").asc(),
        rank.asc(),
        *_BY_NAME,
    ]
    terms = AccessManager.objects.filter(enterprise_id=enterprise_number, ended_at=None).annotate(
        addresses=addresses()
    )
    return ranked(terms, order, first=first, last=last).values_list(
        "pk", "role", "email", "person__niss", "person__first_name", "person__last_name",
        "domain__code", *(f"domain__{name}" for name in _NAMES),
        "quality__identifier", "quality__quality__code",
        *(f"quality__quality__{name}" for name in _NAMES),
        "addresses", "page_total",
    )  # fmt: skip


_WHO_MANAGES = CompiledQuery(_who_manages, text=("enterprise_number",), numbers=("first", "last"))


def _manager(row: tuple) -> AccessManager:
    pk, role, email, niss, first_name, last_name, domain_code, *rest = row
    domain_names, (identifier, quality_code), quality_names, joined = (
        rest[:4],
        rest[4:6],
        rest[6:10],
        rest[10],
    )
    term = ShownTerm(
        pk, role, Named(niss, first_name, last_name), email=email, addresses=addresses_of(joined)
    )
    if domain_code:
        term.domain = Domain(code=domain_code, **dict(zip(_NAMES, domain_names, strict=True)))
    if quality_code:
        term.quality = EnterpriseQuality(identifier=identifier)
        term.quality.quality = Quality(
            code=quality_code, **dict(zip(_NAMES, quality_names, strict=True))
        )
    return term


def who_manages_page(*, enterprise_number: str, number: str | None) -> Page:
    """Page `number` of every current designation of the enterprise: the GAP, the co-GAPs, the
    GAs by domain, the GLs and co-GLs by qualité, each by name, with their addresses."""
    return page_of(
        _WHO_MANAGES,
        number,
        per_page=PER_PAGE,
        make=_manager,
        enterprise_number=enterprise_number,
    )


# The GAP history ------------------------------------------------------------------------------


def _gap_history(*, enterprise_number: str, first: int, last: int) -> QuerySet:
    terms = AccessManager.objects.filter(enterprise_id=enterprise_number, role=Role.GAP)
    newest_first = [F("started_at").desc(), F("pk").desc()]
    return ranked(terms, newest_first, first=first, last=last).values_list(
        "pk", "started_at", "ended_at", "procedure",
        "person__niss", "person__first_name", "person__last_name",
        "designated_by__niss", "designated_by__first_name", "designated_by__last_name",
        "page_total",
    )  # fmt: skip


_GAP_HISTORY = CompiledQuery(_gap_history, text=("enterprise_number",), numbers=("first", "last"))


def _gap_term(row: tuple) -> AccessManager:
    pk, started_at, ended_at, procedure, *people = row
    return ShownTerm(
        pk,
        Role.GAP,
        Named(*people[:3]),
        started_at=started_at,
        ended_at=ended_at,
        procedure=procedure,
        designated_by=Named(*people[3:]) if people[3] else None,
    )


def gap_history_page(*, enterprise_number: str, number: str | None) -> Page:
    """Page `number` of every GAP term of the enterprise, newest first, with who and who
    designated them."""
    return page_of(
        _GAP_HISTORY,
        number,
        per_page=PER_PAGE,
        make=_gap_term,
        enterprise_number=enterprise_number,
    )
