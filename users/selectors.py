"""Reads of persons and their accounts."""

from __future__ import annotations

from users.models import Person


def person_get(*, niss: str) -> Person | None:
    return Person.objects.filter(niss=niss).select_related("account").first()


def person_language(person: Person) -> str:
    """The language to write to `person` in: their account's choice, else the register's."""
    try:
        return person.account.language
    except Person.account.RelatedObjectDoesNotExist:
        return person.language
