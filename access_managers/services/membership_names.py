"""The names and the username a membership keeps as sort keys (models/qualities.py), kept in
step with the national register's names and with the person's account."""

from __future__ import annotations

from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from access_managers.models import QualityMembership
from users.models import Person, User


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


def username_follow(*, niss: str, username: str) -> int:
    """Copy an account's username ("" once it has none) onto the person's memberships, current
    and ended (an ended one may come back in a history); how many changed."""
    return (
        QualityMembership.objects.filter(person_id=niss)
        .exclude(username=username)
        .update(username=username)
    )


def usernames_refresh() -> int:
    """Copy onto every membership its person's username ("" without an account), after rows
    were written without the services (a migration, a bulk load); how many changed."""
    account = Subquery(User.objects.filter(person_id=OuterRef("person_id")).values("username")[:1])
    current = Coalesce(account, Value(""))
    return QualityMembership.objects.filter(~Q(username=current)).update(username=current)
