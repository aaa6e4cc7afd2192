"""A qualité's users made in bulk, for the benchmarks: issue 14's qualité of 100,000 users in a
database holding 2,000,000 memberships (`manage.py generate_quality_users`, tests/bench/users.py).

`quality_users_generate` makes a registered enterprise (its GAP, a legal function, a qualité
«Employeur ONSS» with a GL and co-GLs) whose qualité has `users` current users, some of them
blocked, each with an account and a few of the qualité's secured applications, plus ended
memberships (its history); and other enterprises, one qualité each, which hold the rest of the
`memberships`, drawn from the same persons (a person uses several qualités). Names come from
small lists of Belgian names, weighted so that some are common, a few double-barrelled, so that
sorting and "starts with" filters meet ties and prefixes of every size.

The rows go straight into the tables (`insert_rows`: COPY on PostgreSQL): no service runs, so
nothing is audited or e-mailed. Every account shares one password hash, made once (hashing
100,000 passwords would take hours). Numbers already in the database are skipped, so a second
run adds another enterprise beside the first.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from access_managers import counts
from access_managers.generated_enterprises import (
    free_enterprise_numbers,
    other_qualities_insert,
    registered_enterprise,
)
from access_managers.generated_people import GeneratedPerson, accounts_insert, language
from access_managers.generated_people import persons as generated_persons
from access_managers.models import (
    AccessManager,
    EnterpriseQuality,
    MembershipApplication,
    QualityMembership,
)
from csam_portal.core.bulkload.rows import insert_rows
from enterprises.models import (
    SecuredApplication,
)
from users.models import Person, User

BLOCKED_SHARE = 0.02
HISTORY_SHARE = 0.05  # ended memberships of the qualité, per current user
OTHER_ENDED_SHARE = 0.10  # ended memberships elsewhere
APPLICATIONS_PER_USER = (0, 1, 1, 2, 2, 3)
CO_GLS = 3

_FIVE_YEARS = 5 * 365 * 24 * 3600


@dataclass(frozen=True)
class Generated:
    """What `quality_users_generate` made."""

    enterprise_number: str
    quality_id: int
    gap_niss: str
    users: int
    blocked: int
    applications: int
    persons: int
    memberships: int
    other_qualities: int


def quality_users_generate(
    *, users: int, memberships: int, other_qualities: int, gap_niss: str | None, seed: int = 14
) -> Generated:
    """Make a registered enterprise whose qualité «Employeur ONSS» has `users` current users, and
    other enterprises' qualités holding the rest of `memberships` (the total, the qualité's
    current and ended ones included); `gap_niss` (a person already there) is the enterprise's GAP,
    else a generated person. The same `seed` makes the same names and choices.

    Raises ValueError if the counts do not fit (fewer memberships than the qualité's own, no
    other qualité to hold the rest).
    """
    history = int(users * HISTORY_SHARE)
    rest = memberships - users - history
    if users < 1:
        raise ValueError("A qualité of at least one user is needed.")
    if rest < 0:
        raise ValueError(
            f"{memberships} memberships cannot hold the qualité's {users} users and {history} "
            "ended memberships."
        )
    # The qualité's users, its ended members, then persons who only use other qualités (and the
    # GAP, unless one is given): four memberships elsewhere per person, on average.
    persons = users + history + max(rest // 4, 1)
    if rest > other_qualities * persons:
        raise ValueError(
            f"{rest} memberships do not fit in {other_qualities} other qualités of at most "
            f"{persons} users each."
        )
    if gap_niss is not None and not Person.objects.filter(niss=gap_niss).exists():
        raise ValueError(f"No person has the NISS {gap_niss}.")
    rng = random.Random(seed)
    now = timezone.now()
    people = generated_persons(rng, persons)
    gap_niss = gap_niss or people[users + history].niss
    with transaction.atomic():
        trigger_off = _membership_trigger_off()
        insert_rows(
            Person,
            ("niss", "first_name", "last_name", "gender", "birth_date", "language", "has_eid"),
            (
                (p.niss, p.first_name, p.last_name, p.gender, p.birth_date, language(p), True)
                for p in people
            ),
        )
        accounts = accounts_insert(people, now)
        numbers = free_enterprise_numbers(other_qualities + 1)
        quality = registered_enterprise(numbers[0], gap_niss=gap_niss, now=now)
        others = other_qualities_insert(numbers[1:] if rest else [], gap_niss=gap_niss, now=now)
        local_managers = people[: min(users, 1 + CO_GLS)]
        made = insert_rows(
            QualityMembership,
            (
                "person_id",
                "quality_id",
                "designated_by_id",
                "started_at",
                "ended_at",
                "status",
                "last_name",
                "first_name",
                "username",
                "email",
            ),  # fmt: skip
            _interleaved(
                _quality_memberships(rng, people, quality, users, history, accounts, now),
                users + history,
                _other_memberships(rng, people, others, rest, accounts, now),
                rest,
            ),
        )
        _local_managers(quality, local_managers, gap_niss=gap_niss, now=now)
        blocked = QualityMembership.objects.filter(
            quality=quality, ended_at=None, status=QualityMembership.Status.BLOCKED
        ).count()
        granted = _applications(rng, quality, now)
        if trigger_off:
            counts.recount()
        if connection.vendor == "postgresql":
            _analyze(Person, User, QualityMembership, MembershipApplication, EnterpriseQuality)
    return Generated(
        enterprise_number=quality.enterprise_id,
        quality_id=quality.pk,
        gap_niss=gap_niss,
        users=users,
        blocked=blocked,
        applications=granted,
        persons=len(people),
        memberships=made,
        other_qualities=len(others),
    )


def _started(rng: random.Random, now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(seconds=rng.randrange(60, _FIVE_YEARS))


def _quality_memberships(
    rng: random.Random,
    people: list[GeneratedPerson],
    quality: EnterpriseQuality,
    users: int,
    history: int,
    usernames: dict[str, str],
    now: datetime.datetime,
) -> Iterator[tuple]:
    """The qualité's current users (designated by its GL, the first of them), then its ended
    memberships."""
    gl = people[0].niss
    for index in range(users + history):
        person = people[index]
        started = _started(rng, now)
        ended = started + datetime.timedelta(days=30) if index >= users else None
        blocked = ended is None and index > CO_GLS and rng.random() < BLOCKED_SHARE
        status = QualityMembership.Status.BLOCKED if blocked else QualityMembership.Status.ACTIVE
        email = f"{usernames[person.niss]}@example.be"
        yield (
            person.niss, quality.pk, gl, started, min(ended, now) if ended else None,
            status, person.last_name, person.first_name, usernames[person.niss], email,
        )  # fmt: skip


def _other_memberships(
    rng: random.Random,
    people: list[GeneratedPerson],
    qualities: list[int],
    count: int,
    usernames: dict[str, str],
    now: datetime.datetime,
) -> Iterator[tuple]:
    """`count` memberships of the other qualités, of sizes from a long-tailed law (many small
    qualités, a few large ones), each qualité's users a run of distinct persons."""
    if not count:
        return
    weights = [min(rng.paretovariate(1.2), 200.0) for _ in qualities]
    scale = count / sum(weights)
    sizes = [min(int(weight * scale), len(people)) for weight in weights]
    index = 0
    for _ in range(count - sum(sizes)):  # what rounding and the cap left, one more each
        while sizes[index % len(sizes)] >= len(people):
            index += 1
        sizes[index % len(sizes)] += 1
        index += 1
    for quality_id, size in zip(qualities, sizes, strict=True):
        first = rng.randrange(len(people))
        designated_by = people[first].niss
        for offset in range(size):
            person = people[(first + offset) % len(people)]
            started = _started(rng, now)
            ended = None
            if rng.random() < OTHER_ENDED_SHARE:
                ended = min(started + datetime.timedelta(days=90), now)
            yield (
                person.niss, quality_id, designated_by, started, ended, "active",
                person.last_name, person.first_name, usernames.get(person.niss, ""), "",
            )  # fmt: skip


def _interleaved(
    ours: Iterator[tuple], ours_count: int, others: Iterator[tuple], others_count: int
) -> Iterator[tuple]:
    """Both streams mixed evenly, as years of designations would lay them in the table (the
    qualité's rows scattered among the others', not stored together)."""
    taken_ours = taken_others = 0
    while taken_ours < ours_count or taken_others < others_count:
        if taken_others >= others_count or (
            taken_ours < ours_count and taken_ours * others_count <= taken_others * ours_count
        ):
            taken_ours += 1
            yield next(ours)
        else:
            taken_others += 1
            yield next(others)


def _local_managers(
    quality: EnterpriseQuality, people: list[GeneratedPerson], *, gap_niss: str, now
) -> None:
    """The qualité's GL (the first person) and co-GLs (the next ones), all users of it."""
    AccessManager.objects.bulk_create(
        AccessManager(
            enterprise_id=quality.enterprise_id,
            quality=quality,
            person_id=person.niss,
            role=AccessManager.Role.GL if index == 0 else AccessManager.Role.CO_GL,
            email=f"gl{index}@example.be",
            designated_by_id=gap_niss,
            procedure="standard",
            started_at=now - datetime.timedelta(days=1000),
        )
        for index, person in enumerate(people)
    )


def _applications(rng: random.Random, quality: EnterpriseQuality, now) -> int:
    """0 to 3 of the qualité's secured applications for each current user, granted by the GL;
    how many were granted."""
    applications = list(
        SecuredApplication.objects.filter(qualities=quality.quality_id)
        .order_by("code")
        .values_list("pk", flat=True)
    )
    # Read whole before the COPY starts: a connection runs nothing else during one.
    members = list(
        QualityMembership.objects.filter(quality=quality, ended_at=None)
        .order_by("pk")
        .values_list("pk", "started_at")
    )
    gl = AccessManager.objects.get(quality=quality, role=AccessManager.Role.GL, ended_at=None)
    return insert_rows(
        MembershipApplication,
        ("membership_id", "application_id", "granted_at", "granted_by_id"),
        (
            (membership, application, started, gl.person_id)
            for membership, started in members
            for application in rng.sample(
                applications, min(rng.choice(APPLICATIONS_PER_USER), len(applications))
            )
        ),
    )


def _membership_trigger_off() -> bool:
    """On PostgreSQL, for a superuser, the rest of this transaction fires no trigger: the kept
    counts (access_managers/counts.py) would be updated 2,000,000 times, one qualité row at a
    time; they are recounted once at the end instead. Whether they are off."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SET LOCAL session_replication_role = replica")
    return True


def _analyze(*models) -> None:
    """The planner's statistics for the tables just filled (autovacuum would gather them later:
    the first pages would be planned blind)."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
