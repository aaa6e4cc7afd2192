"""Reads of persons and their accounts."""

from __future__ import annotations

import re
import unicodedata

from users.models import Person, User


def person_get(*, niss: str) -> Person | None:
    return Person.objects.filter(niss=niss).select_related("account").first()


def person_language(person: Person) -> str:
    """The language to write to `person` in: their account's choice, else the register's."""
    try:
        return person.account.language
    except Person.account.RelatedObjectDoesNotExist:
        return person.language


def username_proposal(person: Person) -> str:
    """A free username for `person`'s new account: «firstname.lastname» in lower-case ASCII,
    with a number added when it is taken («firstname.lastname2»). One query."""

    def plain(name: str) -> str:
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        return re.sub(r"[^a-z0-9]+", "", ascii_name.lower())

    base = ".".join(part for part in (plain(person.first_name), plain(person.last_name)) if part)
    base = base or person.niss
    taken = set(User.objects.filter(username__startswith=base).values_list("username", flat=True))
    if base not in taken:
        return base
    return next(f"{base}{n}" for n in range(2, len(taken) + 3) if f"{base}{n}" not in taken)
