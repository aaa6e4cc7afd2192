"""The national register's persons (import_persons) and their simulated cards."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils.crypto import salted_hmac

from csam_portal.core import audit
from csam_portal.core.bulkload.files import FileReport
from csam_portal.core.bulkload.merge import load
from users.models import Person, SimulatedCard
from users.national_register import PERSON
from users.signals import persons_imported


@transaction.atomic
def person_import(*, path: Path, actor: audit.Actor, progress: bool = False) -> FileReport:
    """Import the national register's persons from persons.csv: created, or updated by NISS.

    Bad rows are refused and reported; raises MalformedFile, and nothing changes, if the file
    cannot be read as persons.csv.
    """
    report = FileReport(path.name)
    load(path, PERSON, report, progress=progress)
    persons_imported.send(sender=Person, actor=actor)
    audit.record(actor, "person_import", None, after={path.name: report.as_dict()})
    return report


def pin_digest(person: Person, pin: str) -> str:
    """A card PIN's keyed digest. Four digits need no slow hash: the lockout guards them."""
    return salted_hmac(
        "users.SimulatedCard", f"{person.niss}:{pin}", algorithm="sha256"
    ).hexdigest()


@transaction.atomic
def simulated_card_issue(
    *, person: Person, kind: str, pin: str, country: str = "BE", actor: audit.Actor
) -> SimulatedCard:
    """Give `person` a simulated card (the simulator's data); its PIN is stored as a digest."""
    card = SimulatedCard.objects.filter(person=person, kind=kind).first() or SimulatedCard(
        person=person, kind=kind
    )
    card.country = country
    card.pin = pin_digest(person, pin)
    card.full_clean()
    card.save()
    audit.record(actor, "simulated_card_issue", card, after={"kind": kind, "country": country})
    return card
