"""`load_demo` makes portal.json's qualités, GLs, co-GLs and users through the social
security's services, once."""

from io import StringIO

import pytest
from django.core.management import call_command

from access_managers.models import AccessManager, EnterpriseQuality, QualityMembership
from csam_portal.models import AuditRecord

pytestmark = pytest.mark.django_db


def test_load_demo_makes_the_qualites_and_local_managers_once():
    first, second = StringIO(), StringIO()

    call_command("load_demo", stdout=first)
    call_command("load_demo", stdout=second)

    onss = EnterpriseQuality.objects.get(identifier="1234567-89")
    assert onss.enterprise_id == "0462837478"
    local = AccessManager.objects.filter(quality=onss, ended_at=None)
    assert local.get(role="GL").person_id == "83082012111"
    assert list(local.filter(role="COGL").values_list("person_id", flat=True)) == ["91101012405"]
    memberships = QualityMembership.objects.filter(quality=onss, ended_at=None)
    assert memberships.count() == 2 + 30  # the GL, the co-GL and portal.json's 30 users
    assert memberships.filter(status="blocked").count() == 3
    lucas = memberships.get(person_id="60010120166")
    assert lucas.person.account.username == "lucas.peeters"
    assert lucas.person.account.check_password("Demo-Passw0rd!")
    assert list(lucas.granted_applications.values_list("application__code", flat=True)) == [
        "PUBLIATO"
    ]
    assert EnterpriseQuality.objects.count() == 3
    assert AuditRecord.objects.filter(action="gl_change").count() == 1
    assert AuditRecord.objects.filter(action="quality_user_create").count() == 30
    assert "35 qualités and local managers" in first.getvalue()
    assert "nothing new" in second.getvalue()
