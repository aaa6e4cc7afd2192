"""The persons of the benchmarks' generated qualité (generated_users.py): valid national numbers
no person of the database has, Belgian names weighted as they are common, a language each."""

from __future__ import annotations

import datetime
import random
import re
import unicodedata
from dataclasses import dataclass
from itertools import accumulate

from django.contrib.auth.hashers import make_password

from csam_portal.core.bulkload.rows import insert_rows
from users.models import Person, User

PASSWORD = "Bench-Passw0rd!"  # every generated account's (one hash, shared)

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


@dataclass(frozen=True, slots=True)
class GeneratedPerson:
    niss: str
    first_name: str
    last_name: str
    gender: str
    birth_date: datetime.date


def persons(rng: random.Random, count: int) -> list[GeneratedPerson]:
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
        people.append(GeneratedPerson(niss, first, last, "M" if male else "F", birth))
    return people


def language(person: GeneratedPerson) -> str:
    """Dutch for most, French for many, German for a few, as the register's persons."""
    share = int(person.niss[:9]) % 20
    return "de" if share == 0 else "fr" if share < 9 else "nl"


def plain(name: str) -> str:
    """A name as a username spells it: lower case, no accents, spaces or apostrophes."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z-]", "", ascii_name.lower())


def accounts_insert(people: list[GeneratedPerson], now: datetime.datetime) -> dict[str, str]:
    """An account for every person, with one password hash for all; their usernames by NISS
    (first.last and a number no earlier run used, so that two runs never collide)."""
    password = make_password(PASSWORD)
    start = User.objects.count()
    usernames = {
        p.niss: f"{plain(p.first_name)}.{plain(p.last_name)}{start + index}"
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
