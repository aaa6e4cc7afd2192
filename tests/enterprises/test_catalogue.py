import pytest
from django.urls import reverse
from django.utils import translation

from csam_portal.models import AuditRecord
from enterprises.models import Domain, Quality, SecuredApplication

pytestmark = pytest.mark.django_db


def test_the_catalogue_is_loaded_in_four_languages_by_the_migration():
    assert (
        Domain.objects.count(),
        Quality.objects.count(),
        SecuredApplication.objects.count(),
    ) == (14, 4, 11)
    employer = Quality.objects.get(code="EMPLOYEUR_ONSS")
    with translation.override("nl"):
        assert (employer.name, employer.identifier_label) == ("RSZ-werkgever", "RSZ-nummer")
    with translation.override("de"):
        assert Domain.objects.get(code="SECU").name == "Soziale Sicherheit"
    dmfa = SecuredApplication.objects.get(code="DMFA")
    assert (dmfa.web, dmfa.ftp, dmfa.sftp, dmfa.web_service) == (True, True, True, True)
    assert sorted(dmfa.qualities.values_list("code", flat=True)) == [
        "EMPLOYEUR_ONSS",
        "PRESTATAIRE_SERVICES_SOCIAUX",
    ]
    assert SecuredApplication.objects.get(code="ECARO_BATCH").web is False


def test_staff_edit_an_application_and_the_audit_log_keeps_its_qualites(client, staff):
    client.force_login(staff)
    application = SecuredApplication.objects.get(code="TR_FPP")
    social_action = Quality.objects.get(code="ACTION_SOCIALE")
    data = {
        "code": "TR_FPP",
        "name_fr": "TR-FPP",
        "name_nl": "TR-FPP",
        "name_de": "TR-FPP",
        "name_en": "TR-FPP",
        "qualities": [social_action.pk],
        "web": "on",
    }

    response = client.post(
        reverse("admin:enterprises_securedapplication_change", args=[application.pk]), data
    )

    assert response.status_code == 302
    record = AuditRecord.objects.get(action="securedapplication_change")
    assert record.after["qualities"] == [social_action.pk]
    assert len(record.before["qualities"]) == 2
    assert record.actor_user == staff


def test_a_qualite_with_an_invalid_identifier_pattern_is_refused(client, staff):
    client.force_login(staff)
    quality = Quality.objects.get(code="EMPLOYEUR_ONSS")
    data = {
        field: getattr(quality, field)
        for field in [
            "code",
            "name_fr",
            "name_nl",
            "name_de",
            "name_en",
            "identifier_fr",
            "identifier_nl",
            "identifier_de",
            "identifier_en",
        ]
    }

    response = client.post(
        reverse("admin:enterprises_quality_change", args=[quality.pk]),
        {**data, "identifier_pattern": "^[0-9"},
    )

    assert response.status_code == 200
    assert "Cette expression régulière n&#x27;est pas valable" in response.content.decode()
    quality.refresh_from_db()
    assert quality.identifier_pattern == "^[0-9]{7}-[0-9]{2}$"
    assert not AuditRecord.objects.exists()
