"""What a person is in an enterprise: the one answer every app's permissions read.

`roles_in` fills a `Roles` for one person and one enterprise in one query (`roles_by_enterprise`
the same for every enterprise of the person, by the same code), whatever the number
of domains, qualités and terms: the legal functions valid today (the register is the truth), the
person's current designations (GAP, co-GAP, GA per domain, GL / co-GL per qualité) and their
active memberships as a user of a qualité. Permissions (`<app>/permissions.py`) decide from it;
nothing else derives a role.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import CharField, IntegerField, QuerySet, Value
from django.utils import timezone

from access_managers.models import AccessManager, QualityMembership
from csam_portal.core.compiled import CompiledQuery
from enterprises.selectors import legal_functions_of_today, legal_functions_valid_today
from users.roles import Role


@dataclass(frozen=True)
class Roles:
    """One person's roles in one enterprise (../shared/spec/access.md). Domains are named by their
    catalogue code; qualités by the id of the enterprise's `EnterpriseQuality`."""

    is_lr: bool = False
    is_gap: bool = False
    is_co_gap: bool = False
    ga_domains: frozenset[str] = field(default_factory=frozenset)
    gl_qualities: frozenset[int] = field(default_factory=frozenset)
    co_gl_qualities: frozenset[int] = field(default_factory=frozenset)
    user_qualities: frozenset[int] = field(default_factory=frozenset)

    def __bool__(self) -> bool:
        """Whether the person has any role in the enterprise: strangers get 404 from it."""
        return bool(
            self.is_lr
            or self.is_gap
            or self.is_co_gap
            or self.ga_domains
            or self.gl_qualities
            or self.co_gl_qualities
            or self.user_qualities
        )

    def is_ga_of(self, domain_code: str) -> bool:
        return domain_code in self.ga_domains

    def is_local_manager_of(self, quality_id: int) -> bool:
        """GL or co-GL of the qualité."""
        return quality_id in self.gl_qualities or quality_id in self.co_gl_qualities

    def is_user_of(self, quality_id: int) -> bool:
        """An active (not blocked) user of the qualité."""
        return quality_id in self.user_qualities

    @property
    def actor_role(self) -> Role | None:
        """The role the audit log records for a change made through the enterprise's pages: the
        widest the person holds."""
        if self.is_gap:
            return Role.GAP
        if self.is_co_gap:
            return Role.CO_GAP
        if self.ga_domains:
            return Role.GA
        if self.gl_qualities:
            return Role.GL
        if self.co_gl_qualities:
            return Role.CO_GL
        if self.is_lr:
            return Role.LR
        if self.user_qualities:
            return Role.USER
        return None


def roles_in(*, niss: str | None, enterprise_number: str) -> Roles:
    """`niss`'s roles in the enterprise today: one query (none without a NISS)."""
    if not niss:
        return Roles()
    return _roles(niss=niss, enterprise_number=enterprise_number).get(enterprise_number, Roles())


def roles_by_enterprise(*, niss: str | None) -> dict[str, Roles]:
    """`niss`'s roles today in every enterprise where they have one, by enterprise number: the
    same two queries as `roles_in`, whatever the number of enterprises."""
    if not niss:
        return {}
    return _roles(niss=niss, enterprise_number=None)


def _union(*, niss: str, today: date, enterprise_number: str | None = None) -> QuerySet:
    """The current designations, the active memberships and the legal functions valid `today`
    of `niss` (in the enterprise `enterprise_number`, else in every one) as one UNION of rows
    (enterprise, role, domain code, qualité id)."""
    one = {} if enterprise_number is None else {"enterprise_id": enterprise_number}
    designations = AccessManager.objects.filter(person_id=niss, ended_at=None, **one).values_list(
        "enterprise_id", "role", "domain__code", "quality_id"
    )
    in_quality = {} if enterprise_number is None else {"quality__enterprise_id": enterprise_number}
    memberships = (
        QualityMembership.objects.filter(
            person_id=niss, ended_at=None, status=QualityMembership.Status.ACTIVE, **in_quality
        )
        .annotate(
            as_role=Value(Role.USER, output_field=CharField()),
            no_domain=Value(None, output_field=CharField()),
        )
        .values_list("quality__enterprise_id", "as_role", "no_domain", "quality_id")
    )
    functions = (
        legal_functions_of_today(niss=niss, today=today)
        if enterprise_number is None
        else legal_functions_valid_today(
            niss=niss, enterprise_number=enterprise_number, today=today
        )
    ).annotate(
        as_role=Value(Role.LR, output_field=CharField()),
        no_domain=Value(None, output_field=CharField()),
        no_quality=Value(None, output_field=IntegerField()),
    )
    legal_rows = functions.values_list("enterprise_id", "as_role", "no_domain", "no_quality")
    # A union takes no ordering: the models' default ones are dropped (`order_by()`).
    return (
        designations.order_by()
        .union(memberships.order_by(), legal_rows.order_by(), all=True)
        .order_by()
    )


# The same UNION for one enterprise and for all, compiled once (it runs on every page).
_IN_ONE = CompiledQuery(_union, text=("niss", "enterprise_number"), dates=("today",))
_IN_ALL = CompiledQuery(_union, text=("niss",), dates=("today",))


def _roles(*, niss: str, enterprise_number: str | None) -> dict[str, Roles]:
    """The one reading of roles, `_union`'s rows by enterprise; `enterprise_number` None reads
    every enterprise."""
    today = timezone.localdate()
    if enterprise_number is None:
        rows = _IN_ALL.rows(niss=niss, today=today)
    else:
        rows = _IN_ONE.rows(niss=niss, enterprise_number=enterprise_number, today=today)
    by_enterprise: dict[str, list[tuple]] = {}
    legal: set[str] = set()
    for number, *term in rows:
        if term[0] == Role.LR:
            legal.add(number)
        by_enterprise.setdefault(number, []).append(term)
    return {
        number: Roles(
            is_lr=number in legal,
            is_gap=any(role == Role.GAP for role, _, _ in held),
            is_co_gap=any(role == Role.CO_GAP for role, _, _ in held),
            ga_domains=_places(held, Role.GA, 1),
            gl_qualities=_places(held, Role.GL, 2),
            co_gl_qualities=_places(held, Role.CO_GL, 2),
            user_qualities=_places(held, Role.USER, 2),
        )
        for number, held in by_enterprise.items()
    }


def _places(terms: list[tuple], role: Role, column: int) -> frozenset:
    return frozenset(term[column] for term in terms if term[0] == role)
