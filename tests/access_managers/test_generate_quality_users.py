"""`manage.py generate_quality_users`: the benchmarks' large qualité (tests/bench/users.py), here
at a small size, on SQLite (bulk_create) or PostgreSQL (COPY) as the run's database is."""

import csv
import io
import re
from html import unescape
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F
from django.db.models.functions import Upper
from django.urls import reverse

from access_managers.models import (
    AccessManager,
    EnterpriseQuality,
    MembershipApplication,
    QualityMembership,
)
from access_managers.services import membership_names
from csam_portal.core import numbers
from enterprises.models import SecuredApplication
from tests.bench.users import COPY_SQL
from users.models import Person, User

pytestmark = pytest.mark.django_db

USERS, MEMBERSHIPS, OTHER_QUALITIES = 60, 400, 6
# The export's columns (issue 14), which the benchmark's COPY writes too.
EXPORT_COLUMNS = [
    "Nom", "Prénom", "Nom d'utilisateur", "Type", "NISS", "Statut", "Applications sécurisées",
]  # fmt: skip


def _generate(**options) -> tuple[EnterpriseQuality, str]:
    out = StringIO()
    sizes = {"users": USERS, "memberships": MEMBERSHIPS, "other_qualities": OTHER_QUALITIES}
    call_command("generate_quality_users", **(sizes | options), stdout=out)
    quality_id = re.search(r"qualité (\d+) with", out.getvalue()).group(1)
    return EnterpriseQuality.objects.get(pk=quality_id), out.getvalue()


def test_the_quality_has_its_users_and_the_others_the_rest_of_the_memberships():
    quality, output = _generate()

    current = QualityMembership.objects.filter(quality=quality, ended_at=None)
    assert current.count() == USERS
    assert QualityMembership.objects.count() == MEMBERSHIPS
    assert EnterpriseQuality.objects.exclude(enterprise=quality.enterprise).count() == 6
    assert quality.quality.code == "EMPLOYEUR_ONSS"
    assert f"enterprise {quality.enterprise_id} " in output
    assert f"{USERS} users" in output


def test_every_generated_person_has_an_account_and_a_valid_niss():
    _generate()

    persons = list(Person.objects.values_list("niss", flat=True))
    assert all(numbers.niss(niss) == niss for niss in persons)
    assert User.objects.filter(person__isnull=False).count() == len(persons)


def test_usernames_differ_whatever_their_case():
    _generate()

    usernames = User.objects.annotate(key=Upper("username")).values("key")
    assert not usernames.annotate(n=Count("id")).filter(n__gt=1).exists()


def test_memberships_carry_their_persons_names():
    quality, _output = _generate()

    assert QualityMembership.objects.exists()
    assert not QualityMembership.objects.exclude(last_name=F("person__last_name")).exists()
    assert not QualityMembership.objects.exclude(first_name=F("person__first_name")).exists()
    names = set(quality.memberships.values_list("last_name", flat=True))
    assert len(names) > 10  # enough names for sorting and prefixes to mean something


def test_memberships_carry_their_accounts_usernames():
    _generate()

    assert not QualityMembership.objects.filter(username="").exists()  # every person has one
    assert membership_names.usernames_refresh() == 0  # and it is theirs


def test_the_quality_has_a_gl_co_gls_blocked_users_and_its_applications():
    quality, _output = _generate(users=500, memberships=800, seed=3)

    roles = AccessManager.objects.filter(quality=quality, ended_at=None).values_list(
        "role", flat=True
    )
    assert sorted(roles) == ["COGL", "COGL", "COGL", "GL"]
    blocked = quality.memberships.filter(ended_at=None, status="blocked").count()
    assert 1 <= blocked <= 25  # about 2%
    allowed = set(
        SecuredApplication.objects.filter(qualities=quality.quality).values_list("pk", flat=True)
    )
    granted = MembershipApplication.objects.filter(membership__quality=quality)
    assert granted.exists()
    assert set(granted.values_list("application", flat=True)) <= allowed
    assert not granted.filter(membership__ended_at__isnull=False).exists()


def test_its_gap_sees_the_users_page(client):
    quality, _output = _generate()
    gap = AccessManager.objects.get(enterprise=quality.enterprise, role="GAP", ended_at=None)
    client.force_login(User.objects.get(person=gap.person))

    url = reverse("access_managers:quality_users", args=[quality.pk])
    response = client.get(url, {"type": "GL"})

    assert response.status_code == 200
    gl = AccessManager.objects.get(quality=quality, role="GL").person
    assert f"Sélectionner {gl.full_name}" in unescape(response.content.decode())


def test_a_given_gap_is_the_enterprises_gap():
    gap = Person.objects.create(niss="79021412066", first_name="Nathalie", last_name="Leroy")

    quality, _output = _generate(gap="79021412066")

    assert AccessManager.objects.get(enterprise=quality.enterprise, role="GAP").person == gap


def test_a_second_run_adds_another_enterprise():
    first, _output = _generate()

    second, _output = _generate()

    assert second.enterprise_id != first.enterprise_id
    assert second.memberships.filter(ended_at=None).count() == USERS
    assert QualityMembership.objects.count() == 2 * MEMBERSHIPS


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"memberships": 10}, "cannot hold the qualité's 60 users"),
        ({"other_qualities": 0}, "do not fit in 0 other qualités"),
        ({"gap": "79021412066"}, "No person has the NISS 79021412066"),
    ],
)
def test_counts_that_do_not_fit_are_refused_and_nothing_is_made(options, message):
    with pytest.raises(CommandError, match=message):
        _generate(**options)

    assert not QualityMembership.objects.exists()
    assert not Person.objects.exists()


def test_the_benchs_copy_writes_every_user_once_with_the_exports_columns():
    if connection.vendor != "postgresql":
        pytest.skip("the benchmark's baseline is PostgreSQL's COPY")
    quality, _output = _generate()

    sql = COPY_SQL.format(quality=quality.pk)
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        text = b"".join(bytes(data) for data in copy).decode()

    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header == EXPORT_COLUMNS
    assert len(rows) == USERS
    assert len({row[4] for row in rows}) == USERS  # one row per NISS
    assert sorted(row[3] for row in rows)[:4] == ["Co-Gestionnaire Local"] * 3 + [
        "Gestionnaire Local"
    ]
