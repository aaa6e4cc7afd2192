"""The benchmarks' enterprises: one with few terms, one with many, both with Nathalie Leroy (a
demo identity) as GAP, so that one logged-in session sees both."""

from datetime import timedelta

from django.utils import timezone

from access_managers.models import (
    AccessManager,
    EnterpriseQuality,
    ManagerEmail,
    QualityMembership,
    Registration,
)
from enterprises.models import Domain, Quality
from tests.factories import EnterpriseFactory, LegalFunctionFactory, PersonFactory
from users.models import Person

NATHALIE = "79021412066"


def enterprise_with_terms(name: str, terms: int) -> str:
    """An enterprise registered with Nathalie as GAP and about `terms` terms besides: current and
    ended co-GAPs, GAs of every domain with their addresses, qualités with GL and co-GL histories
    and users. Returns "<its number>:<the id of its first qualité>:<the code of a domain with
    GAs>"."""
    nathalie = Person.objects.get(niss=NATHALIE)
    enterprise = EnterpriseFactory(name=name)
    LegalFunctionFactory(enterprise=enterprise, person=nathalie)
    Registration.objects.create(enterprise=enterprise, registered_by=nathalie, procedure="standard")
    now = timezone.now()
    AccessManager.objects.create(
        enterprise=enterprise,
        person=nathalie,
        role="GAP",
        email="gap@bench.example",
        designated_by=nathalie,
        procedure="standard",
        started_at=now - timedelta(days=1),
    )
    people = PersonFactory.create_batch(max(terms // 4, 4))
    domains = list(Domain.objects.all())
    quality = Quality.objects.get(code="EMPLOYEUR_ONSS")
    qualities = [
        EnterpriseQuality.objects.create(
            enterprise=enterprise,
            quality=quality,
            identifier=f"{enterprise.number[3:10]}-{index:02d}",
            registered_by=nathalie,
        )
        for index in range(max(terms // 200, 1))
    ]
    rows, memberships = [], []
    for index in range(terms):
        person = people[index % len(people)]
        ended = index >= terms // 5  # four in five are history
        started = now - timedelta(days=2000 - index)
        kind = index % 4
        place = {}
        if kind == 0:
            place = {"role": "COGAP", "email": f"cogap{index}@bench.example"}
        elif kind == 1:
            place = {"role": "GA", "domain": domains[index % len(domains)]}
        elif kind == 2:
            place = {"role": "COGL", "quality": qualities[index % len(qualities)]}
        else:
            memberships.append(
                QualityMembership(
                    quality=qualities[index % len(qualities)],
                    person=person,
                    designated_by=nathalie,
                    started_at=started,
                    ended_at=started + timedelta(days=1) if ended else None,
                    email=f"user{index}@bench.example",
                )
            )
            continue
        rows.append(
            AccessManager(
                enterprise=enterprise,
                person=person,
                designated_by=nathalie,
                procedure="standard",
                started_at=started,
                ended_at=started + timedelta(days=1) if ended else None,
                **place,
            )
        )
    _bulk_current_unique(AccessManager, rows)
    # A current GL or co-GL is a user of their qualité too, as the services make them.
    members = {(m.quality_id, m.person_id) for m in memberships if m.ended_at is None}
    for row in rows:
        if (
            row.role == "COGL"
            and row.ended_at is None
            and (row.quality_id, row.person_id) not in members
        ):
            members.add((row.quality_id, row.person_id))
            memberships.append(
                QualityMembership(
                    quality_id=row.quality_id,
                    person_id=row.person_id,
                    designated_by=nathalie,
                    started_at=row.started_at,
                    email=f"cogl{len(memberships)}@bench.example",
                )
            )
    _bulk_current_unique(QualityMembership, memberships)
    for term in AccessManager.objects.filter(enterprise=enterprise, role="GA", ended_at=None):
        ManagerEmail.objects.create(term=term, email=f"ga{term.pk}@bench.example")
    return f"{enterprise.number}:{qualities[0].pk}:{domains[1].code}"


def _bulk_current_unique(model, rows) -> None:
    """Insert `rows`, ending the current ones that would break a one-current-term rule."""
    seen = set()
    for row in rows:
        key = (
            row.person_id,
            getattr(row, "role", ""),
            getattr(row, "domain_id", None),
            getattr(row, "quality_id", None),
        )
        if row.ended_at is None and key in seen:
            row.ended_at = row.started_at + timedelta(days=1)
        if row.ended_at is None:
            seen.add(key)
    model.objects.bulk_create(rows)
