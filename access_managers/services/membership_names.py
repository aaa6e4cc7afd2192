"""The names a membership keeps as sort keys (models/qualities.py), kept in step with the
national register's."""

from __future__ import annotations

from django.db.models import OuterRef, Q, Subquery

from access_managers.models import QualityMembership
from users.models import Person


def names_refresh() -> int:
    """Copy onto every current membership the names its person has now (after a
    national-register import); how many memberships changed."""
    person = Person.objects.filter(niss=OuterRef("person_id"))
    last = Subquery(person.values("last_name")[:1])
    first = Subquery(person.values("first_name")[:1])
    stale = QualityMembership.objects.filter(
        ~Q(last_name=last) | ~Q(first_name=first), ended_at=None
    )
    return stale.update(last_name=last, first_name=first)
