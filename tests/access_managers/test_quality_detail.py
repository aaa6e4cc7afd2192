"""«Consulter ou modifier le détail de la qualité» (flows.md §4): the qualité's contact data, which
its managers change — the page, the messages, the e-mails, the audit, what is refused. Who may
is access.md's row in test_social_security_permissions.py."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from access_managers.models import AccessManager
from access_managers.services import qualities
from csam_portal.core.audit import AuditRecord
from csam_portal.core.outbox import OutboundEmail
from tests.helpers import text

pytestmark = pytest.mark.django_db

VALID = {"email": "dimona@pharma.be", "phone": "02 512 34 56", "language": "nl"}


def _onss(world):
    return world.qualities["EMPLOYEUR_ONSS"]


def _url(world):
    return reverse("access_managers:quality_detail", args=[_onss(world).pk])


def _contact(world):
    quality = _onss(world)
    quality.refresh_from_db()
    return quality.contact_email, quality.contact_phone, quality.contact_language


def test_the_detail_offers_the_contact_form(client, world):
    world.log_in(client, "gl")

    response = client.get(_url(world))
    page = text(response)

    assert "Données de contact de la qualité" in page
    assert "Adresse e-mail de contact" in page
    assert "Téléphone de contact" in page
    assert "Langue de contact" in page
    # No contact yet: the form proposes the person's language.
    assert response.context["form"].initial == {"email": "", "phone": "", "language": "fr"}


def test_the_gl_records_the_contact_and_it_is_confirmed_by_email(client, world):
    world.log_in(client, "gl")

    response = client.post(_url(world), VALID)

    assert response.status_code == 302
    assert response.url == _url(world)
    assert _contact(world) == ("dimona@pharma.be", "+3225123456", "nl")
    page = text(client.get(response.url))
    assert "Les données de la qualité ont bien été enregistrées." in page
    assert 'value="dimona@pharma.be"' in page
    record = AuditRecord.objects.get(action="quality_contact_set")
    assert record.before["contact_email"] == ""
    assert record.after["contact_phone"] == "+3225123456"
    (email,) = OutboundEmail.objects.filter(template="access_managers/quality_contact_set")
    assert email.recipient == "dimona@pharma.be"
    assert email.language == "nl"
    assert "Employeur ONSS" in email.body_text or _onss(world).quality.name_nl in email.body_text
    assert world.person("gl").full_name in email.body_text
    assert "/detail/" in email.body_text


def test_a_new_address_tells_the_former_one(client, world):
    world.log_in(client, "gap")
    client.post(_url(world), VALID)

    client.post(_url(world), {**VALID, "email": "onss@pharma.be", "language": "fr"})

    emails = OutboundEmail.objects.filter(template="access_managers/quality_contact_set")
    latest = {email.recipient: email for email in emails.order_by("pk")[1:]}
    assert set(latest) == {"onss@pharma.be", "dimona@pharma.be"}
    assert "désormais l'adresse de contact" in latest["onss@pharma.be"].body_text.replace(
        "\u2019", "'"
    )
    assert "n'est plus l'adresse de contact" in latest["dimona@pharma.be"].body_text.replace(
        "\u2019", "'"
    )
    assert "onss@pharma.be" not in latest["dimona@pharma.be"].body_text
    assert AuditRecord.objects.filter(action="quality_contact_set").count() == 2


def test_saving_the_same_data_changes_nothing(client, world):
    world.log_in(client, "gl")
    client.post(_url(world), VALID)
    counts = (AuditRecord.objects.count(), OutboundEmail.objects.count())

    response = client.post(_url(world), {**VALID, "phone": "+32 2 512 34 56"}, follow=True)

    assert "Vous n'avez rien changé\u202f: rien n'a été enregistré." in text(response)
    assert (AuditRecord.objects.count(), OutboundEmail.objects.count()) == counts


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({**VALID, "email": "pas-une-adresse"}, "email", "Saisissez une adresse e-mail valide"),
        ({**VALID, "email": ""}, "email", "Ce champ est obligatoire."),
        ({**VALID, "phone": "12"}, "phone", "Ce numéro de téléphone n'est pas valable."),
        ({**VALID, "language": "xx"}, "language", "Sélectionnez un choix valide."),
        ({**VALID, "email": "a@b.be" * 60}, "email", "Assurez-vous que cette valeur"),
    ],
)
def test_bad_contact_data_is_refused_and_changes_nothing(client, world, data, field, message):
    world.log_in(client, "gl")
    counts = (AuditRecord.objects.count(), OutboundEmail.objects.count())

    response = client.post(_url(world), data)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "<title>Erreur" in text(response)
    assert _contact(world) == ("", "", "")
    assert (AuditRecord.objects.count(), OutboundEmail.objects.count()) == counts


def test_a_gl_whose_term_ended_meanwhile_changes_nothing(world):
    actor = world.actor("gl")
    AccessManager.objects.filter(person=world.person("gl"), quality=_onss(world)).delete()

    with pytest.raises(ValidationError) as refused:
        qualities.quality_contact_set(
            quality=_onss(world), email="x@y.be", phone="", language="fr", actor=actor
        )

    assert refused.value.code == "not_allowed"
    assert _contact(world) == ("", "", "")
    assert not OutboundEmail.objects.filter(template="access_managers/quality_contact_set")
