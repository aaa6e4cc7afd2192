from html import unescape

import pytest
from django.urls import reverse

from csam_portal.models import AuditRecord, ContactMessage, OutboundEmail
from tests.helpers import text

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Marie Dubois",
    "email": "marie@example.be",
    "enterprise_number": "BE 0410.472.920",
    "subject": "Désignation du GAP",
    "message": "Comment désigner un GAP ?",
    "send_copy": "on",
}


def test_a_question_is_recorded_and_a_copy_sent_in_the_page_language(client):
    client.cookies["csam_language"] = "nl"

    response = client.post(reverse("contact"), VALID)

    assert response.status_code == 302
    assert response.url == reverse("contact_sent")
    contact = ContactMessage.objects.get()
    assert contact.enterprise_number == "0410472920"
    assert contact.language == "nl"
    email = OutboundEmail.objects.get()
    assert (email.recipient, email.language) == ("marie@example.be", "nl")
    assert AuditRecord.objects.get().action == "contact_message_create"
    page = client.get(response.url).content.decode()
    assert contact.reference in page


def test_without_the_copy_box_no_email_is_queued(client):
    client.post(reverse("contact"), {**VALID, "send_copy": ""})

    assert ContactMessage.objects.count() == 1
    assert OutboundEmail.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "enterprise_number",
            "0410472921",
            "Vérifiez le numéro : 10 chiffres, par exemple 0123.456.789.",
        ),
        ("email", "marie@", "Saisissez une adresse e-mail valide, par exemple nom@entreprise.be."),
        ("message", "", "Ce champ est obligatoire."),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(client, field, value, message):
    response = client.post(reverse("contact"), {**VALID, field: value})

    assert response.status_code == 200
    html = text(response)
    assert message in html
    assert VALID["subject"] in html  # what was typed is kept
    assert ContactMessage.objects.count() == 0
    assert OutboundEmail.objects.count() == 0
    assert AuditRecord.objects.count() == 0


def test_sent_page_without_a_question_goes_back_to_the_form(client):
    response = client.get(reverse("contact_sent"))

    assert response.status_code == 302
    assert response.url == reverse("contact")


def test_the_acknowledgement_carries_no_text_the_sender_typed(client):
    spam = {**VALID, "name": "Win a prize at spam.example", "subject": "Click spam.example"}

    client.post(reverse("contact"), spam)

    email = OutboundEmail.objects.get()
    for part in (email.subject, email.body_text, email.body_html):
        assert "spam.example" not in part
    assert ContactMessage.objects.get().reference in email.body_text


def test_one_address_may_send_a_few_questions_an_hour_then_is_told_to_wait(client, settings):
    settings.CONTACT_MAX_PER_HOUR = 2
    for _ in range(2):
        client.post(reverse("contact"), VALID, REMOTE_ADDR="198.51.100.7")

    response = client.post(reverse("contact"), VALID, REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 200
    assert "Réessayez dans une heure" in unescape(response.content.decode())
    assert ContactMessage.objects.count() == 2
    assert OutboundEmail.objects.count() == 2
    other = client.post(reverse("contact"), VALID, REMOTE_ADDR="198.51.100.8")
    assert other.status_code == 302  # another address is not held back


def test_addresses_of_one_ipv6_slash_64_share_the_hours_allowance(client, settings):
    settings.CONTACT_MAX_PER_HOUR = 2
    for host in ("1", "2"):
        client.post(reverse("contact"), VALID, REMOTE_ADDR=f"2001:db8:5:6::{host}")

    response = client.post(reverse("contact"), VALID, REMOTE_ADDR="2001:db8:5:6:ffff::3")

    assert "Réessayez dans une heure" in unescape(response.content.decode())
    assert ContactMessage.objects.count() == 2
