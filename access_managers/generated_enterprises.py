"""The enterprises of the benchmarks' generated qualité (generated_users.py): the registered
enterprise with its qualité «Employeur ONSS», and the other enterprises' qualités that hold the
rest of the memberships, each with numbers no enterprise of the database has."""

from __future__ import annotations

import datetime
import re

from access_managers.models import AccessManager, EnterpriseQuality, Registration
from csam_portal.core.bulkload.rows import insert_rows
from enterprises.models import Address, Denomination, Enterprise, LegalFunction, Quality
from users.models import Person

QUALITY = "EMPLOYEUR_ONSS"
_FIRST_ENTERPRISE = 7_000_000  # enterprise numbers 07000000xx and up


def free_enterprise_numbers(count: int) -> list[str]:
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


def identifier(quality: Quality, number: str) -> str:
    """The qualité's identifier for the enterprise `number`: the number itself where the
    qualité's pattern takes it, else a matricule made of its digits (1234567-89)."""
    if re.fullmatch(quality.identifier_pattern, number):
        return number
    return f"{number[1:8]}-{number[8:]}"


def registered_enterprise(number: str, *, gap_niss: str, now) -> EnterpriseQuality:
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
        identifier=identifier(quality, number),
        registered_by=gap,
        registered_at=now - datetime.timedelta(days=1900),
    )


def other_qualities_insert(numbers: list[str], *, gap_niss: str, now) -> list[int]:
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
            (number, quality.pk, identifier(quality, number), gap_niss, now)
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
