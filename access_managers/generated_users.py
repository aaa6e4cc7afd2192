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
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from access_managers import counts
from access_managers.models import (
    AccessManager,
    EnterpriseQuality,
    MembershipApplication,
    QualityMembership,
    Registration,
)
from csam_portal.core.bulkload.rows import insert_rows
from enterprises.models import (
    Address,
    Denomination,
    Enterprise,
    LegalFunction,
    Quality,
    SecuredApplication,
)
from users.models import Person, User

PASSWORD = "Bench-Passw0rd!"  # every generated account's (one hash, shared)
QUALITY = "EMPLOYEUR_ONSS"
BLOCKED_SHARE = 0.02
HISTORY_SHARE = 0.05  # ended memberships of the qualité, per current user
OTHER_ENDED_SHARE = 0.10  # ended memberships elsewhere
APPLICATIONS_PER_USER = (0, 1, 1, 2, 2, 3)
CO_GLS = 3

# Belgian surnames, the commonest first: Flemish, Walloon, German-speaking, of immigrant families.
LAST_NAMES = (
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
    "Wouters", "De Smet", "Dubois", "Lambert", "Dupont", "Martin", "Simon", "Laurent",
    "Vermeulen", "Van den Broeck", "Hermans", "Pauwels", "Aerts", "Michiels", "Leclercq",
    "Lejeune", "Renard", "Lemaire", "Leroy", "Dumont", "Desmet", "De Clercq", "Charlier",
    "François", "Gérard", "Denis", "Fontaine", "Dufour", "Mathieu", "Masson", "Deprez", "Dupuis",
    "Duchêne", "Devos", "Verstraeten", "Van Damme", "Van de Velde", "Smets", "Segers", "Claeys",
    "Lemmens", "Coppens", "Verhoeven", "Stevens", "De Backer", "De Meyer", "D'Hondt", "Schmitz",
    "Müller", "Kessler", "Thys", "Bogaert", "Cools", "Vandenberghe", "Van Acker", "Baert",
    "Hendrickx", "Geerts", "Nys", "Moens", "Wuyts", "Lenaerts", "Dewulf", "Mahieu", "Noël",
    "Piron", "Hubert", "Jacquet", "Gilson", "Marchal", "Thiry", "Collard", "Bodart", "Lefebvre",
    "Delvaux", "Delhaye", "Dubuisson", "Duchesne", "Dubrulle", "El Amrani", "Benali", "Yilmaz",
    "Rossi", "Nowak", "Kowalski", "Van Hoof", "Vanderstraeten", "Ooms", "Beckers", "Kaya",
)  # fmt: skip
FIRST_NAMES_FEMALE = (
    "Marie", "Emma", "Louise", "Sophie", "Julie", "Laura", "Sarah", "Nathalie", "Isabelle",
    "Anne", "Els", "An", "Sofie", "Lotte", "Nele", "Hanne", "Fatima", "Amina", "Inès", "Chloé",
    "Camille", "Léa", "Manon", "Céline", "Valérie", "Christine", "Martine", "Monique", "Greet",
    "Katrien", "Lien", "Anke", "Petra", "Sabine", "Élise", "Olivia", "Zoé", "Charlotte",
)  # fmt: skip
FIRST_NAMES_MALE = (
    "Jean", "Pierre", "Luc", "Marc", "Philippe", "Michel", "Thomas", "Nicolas", "Julien",
    "Maxime", "Lucas", "Noah", "Arthur", "Louis", "Jan", "Peter", "Tom", "Pieter", "Bart", "Koen",
    "Wim", "Dirk", "Geert", "Stijn", "Jens", "Wout", "Mohamed", "Youssef", "Hugo", "Olivier",
    "Benoît", "François", "Didier", "Patrick", "Frank", "Stefan", "Jürgen", "Mathis",
)  # fmt: skip
# Zipf-like: the tenth name is three times rarer than the first.
_LAST_WEIGHTS = list(accumulate(1 / (rank + 1) ** 0.5 for rank in range(len(LAST_NAMES))))
DOUBLE_BARRELLED_SHARE = 0.15

_FIRST_BIRTH = datetime.date(1940, 1, 1)
_BIRTH_DAYS = (datetime.date(1999, 12, 31) - _FIRST_BIRTH).days + 1
_FIRST_ENTERPRISE = 7_000_000  # enterprise numbers 07000000xx and up
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


@dataclass(frozen=True, slots=True)
class _Person:
    niss: str
    first_name: str
    last_name: str
    gender: str
    birth_date: datetime.date


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
    people = _persons(rng, persons)
    gap_niss = gap_niss or people[users + history].niss
    with transaction.atomic():
        trigger_off = _membership_trigger_off()
        insert_rows(
            Person,
            ("niss", "first_name", "last_name", "gender", "birth_date", "language", "has_eid"),
            (
                (p.niss, p.first_name, p.last_name, p.gender, p.birth_date, _language(p), True)
                for p in people
            ),
        )
        accounts = _accounts(people, now)
        numbers = _free_enterprise_numbers(other_qualities + 1)
        quality = _registered_enterprise(numbers[0], gap_niss=gap_niss, now=now)
        others = _other_qualities(numbers[1:] if rest else [], gap_niss=gap_niss, now=now)
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
                "email",
            ),  # fmt: skip
            _interleaved(
                _quality_memberships(rng, people, quality, users, history, accounts, now),
                users + history,
                _other_memberships(rng, people, others, rest, now),
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


def _persons(rng: random.Random, count: int) -> list[_Person]:
    """`count` persons whose national numbers (born 1940–1999, odd serial for a man) no person
    of the database has."""
    taken = set(Person.objects.values_list("niss", flat=True))
    days = [f"{_FIRST_BIRTH + datetime.timedelta(days=day):%y%m%d}" for day in range(_BIRTH_DAYS)]
    names: dict[tuple[str, str], tuple[str, str]] = {}  # one string object per name
    people, counter = [], 0
    while len(people) < count:
        day, serial = counter % _BIRTH_DAYS, 1 + counter // _BIRTH_DAYS
        counter += 1
        base = f"{days[day]}{serial:03d}"
        niss = f"{base}{97 - int(base) % 97:02d}"
        if niss in taken:
            continue
        male = serial % 2 == 1
        first = rng.choice(FIRST_NAMES_MALE if male else FIRST_NAMES_FEMALE)
        last = rng.choices(LAST_NAMES, cum_weights=_LAST_WEIGHTS)[0]
        if rng.random() < DOUBLE_BARRELLED_SHARE:
            last = f"{last}-{rng.choices(LAST_NAMES, cum_weights=_LAST_WEIGHTS)[0]}"
        first, last = names.setdefault((first, last), (first, last))
        birth = _FIRST_BIRTH + datetime.timedelta(days=day)
        people.append(_Person(niss, first, last, "M" if male else "F", birth))
    return people


def _language(person: _Person) -> str:
    """Dutch for most, French for many, German for a few, as the register's persons."""
    share = int(person.niss[:9]) % 20
    return "de" if share == 0 else "fr" if share < 9 else "nl"


def _accounts(people: list[_Person], now: datetime.datetime) -> dict[str, str]:
    """An account for every person, with one password hash for all; their usernames by NISS
    (first.last and a number no earlier run used, so that two runs never collide)."""
    password = make_password(PASSWORD)
    start = User.objects.count()
    usernames = {
        p.niss: f"{_plain(p.first_name)}.{_plain(p.last_name)}{start + index}"
        for index, p in enumerate(people)
    }
    insert_rows(
        User,
        ("person_id", "username", "password", "email", "language", "date_joined"),
        (
            (p.niss, usernames[p.niss], password, f"{usernames[p.niss]}@example.be", "fr", now)
            for p in people
        ),
    )
    return usernames


def _plain(name: str) -> str:
    """A name as a username spells it: lower case, no accents, spaces or apostrophes."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z-]", "", ascii_name.lower())


def _free_enterprise_numbers(count: int) -> list[str]:
    """`count` valid enterprise numbers (0 + 7 digits + mod 97) no enterprise has."""
    taken = set(
        Enterprise.objects.filter(number__gte="07", number__lt="08").values_list(
            "number", flat=True
        )
    )
    numbers, base = [], _FIRST_ENTERPRISE
    while len(numbers) < count:
        number = f"0{base:07d}{97 - base % 97:02d}"
        base += 1
        if number not in taken:
            numbers.append(number)
    return numbers


def _identifier(quality: Quality, number: str) -> str:
    """The qualité's identifier for the enterprise `number`: the number itself where the
    qualité's pattern takes it, else a matricule made of its digits (1234567-89)."""
    if re.fullmatch(quality.identifier_pattern, number):
        return number
    return f"{number[1:8]}-{number[8:]}"


def _registered_enterprise(number: str, *, gap_niss: str, now) -> EnterpriseQuality:
    """The enterprise of the large qualité, as tests/bench/pages_data.py makes one: registered,
    its GAP a legal representative, its qualité «Employeur ONSS»."""
    enterprise = Enterprise.objects.create(
        number=number,
        status=Enterprise.Status.ACTIVE,
        juridical_situation="000",
        type_of_enterprise="2",
        juridical_form="014",
        start_date=datetime.date(2010, 1, 1),
    )
    Denomination.objects.create(
        enterprise=enterprise, language="1", type="001", value=f"Grande Entreprise {number}"
    )
    Address.objects.create(
        enterprise=enterprise,
        type_of_address="REGO",
        zipcode="1000",
        municipality_fr="Bruxelles",
        municipality_nl="Brussel",
        street_fr="Rue Royale",
        street_nl="Koningsstraat",
        house_number="1",
    )
    gap = Person.objects.get(niss=gap_niss)
    LegalFunction.objects.create(
        enterprise=enterprise,
        niss=gap.niss,
        first_name=gap.first_name,
        last_name=gap.last_name,
        function_code="10003",
        label_fr="Gérant",
        label_nl="Zaakvoerder",
        start_date=datetime.date(2015, 1, 1),
    )
    Registration.objects.create(enterprise=enterprise, registered_by=gap, procedure="standard")
    AccessManager.objects.create(
        enterprise=enterprise,
        person=gap,
        role=AccessManager.Role.GAP,
        email="gap@example.be",
        designated_by=gap,
        procedure="standard",
        started_at=now - datetime.timedelta(days=2000),
    )
    quality = Quality.objects.get(code=QUALITY)
    return EnterpriseQuality.objects.create(
        enterprise=enterprise,
        quality=quality,
        identifier=_identifier(quality, number),
        registered_by=gap,
        registered_at=now - datetime.timedelta(days=1900),
    )


def _other_qualities(numbers: list[str], *, gap_niss: str, now) -> list[int]:
    """One enterprise per number, each with one qualité of the catalogue (in turn); their ids."""
    if not numbers:
        return []
    catalogue = list(Quality.objects.order_by("code"))
    insert_rows(
        Enterprise,
        ("number", "status", "juridical_situation", "type_of_enterprise", "start_date"),
        ((number, "AC", "000", "2", datetime.date(2000, 1, 1)) for number in numbers),
    )
    insert_rows(
        Denomination,
        ("enterprise_id", "language", "type", "value"),
        ((number, "1", "001", f"Entreprise {number}") for number in numbers),
    )
    insert_rows(
        EnterpriseQuality,
        ("enterprise_id", "quality_id", "identifier", "registered_by_id", "registered_at"),
        (
            (number, quality.pk, _identifier(quality, number), gap_niss, now)
            for number, quality in zip(
                numbers, (catalogue[i % len(catalogue)] for i in range(len(numbers))), strict=True
            )
        ),
    )
    return list(
        EnterpriseQuality.objects.filter(enterprise_id__in=numbers)
        .order_by("enterprise_id")
        .values_list("pk", flat=True)
    )


def _started(rng: random.Random, now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(seconds=rng.randrange(60, _FIVE_YEARS))


def _quality_memberships(
    rng: random.Random,
    people: list[_Person],
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
            status, person.last_name, person.first_name, email,
        )  # fmt: skip


def _other_memberships(
    rng: random.Random,
    people: list[_Person],
    qualities: list[int],
    count: int,
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
                person.last_name, person.first_name, "",
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
    quality: EnterpriseQuality, people: list[_Person], *, gap_niss: str, now
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
