"""The exceptional request's paper is not lost (flows.md §2): the requester's receipt, the signed
link to the document, and «Recevoir à nouveau le document» on the status page."""

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from access_managers import document_links
from access_managers.models import ExceptionalRequest
from access_managers.services import exceptional_requests
from csam_portal.core.audit import Actor
from csam_portal.models import AuditRecord, OutboundEmail, ThrottleHit
from csam_portal.templatetags.portal import masked_email
from tests.access_managers.test_exceptional import request_for
from tests.factories import EnterpriseFactory, LegalFunctionFactory, PersonFactory

pytestmark = pytest.mark.django_db

RECEIPT = "access_managers/exceptional_receipt"
STATUS = reverse("access_managers:exceptional_status")


@pytest.fixture
def atlas():
    enterprise = EnterpriseFactory(name="Atlas Trading")
    ahmed = PersonFactory(first_name="Ahmed", last_name="El Amrani", has_eid=False)
    LegalFunctionFactory(enterprise=enterprise, person=ahmed)
    return enterprise, ahmed


def _create(enterprise, requester, *, person=None, language="fr", **contact):
    person = person or requester
    contact = contact or {"email": "ahmed@atlas.be", "phone": "+3225123456"}
    return exceptional_requests.exceptional_request_create(
        enterprise_number=enterprise.number,
        requester=requester,
        person=person,
        seen_gap=None,
        language=language,
        actor=Actor.system("tests"),
        **contact,
    )


def _text(response) -> str:
    """The page's text as read: tags removed, white space collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def _link(email: OutboundEmail) -> str:
    """The path of the document's link in an e-mail's text."""
    (url,) = re.findall(r"http://\S+/gap/exceptional/document/\S+/", email.body_text)
    return url.removeprefix("http://127.0.0.1:8000")


def _resend(client, exceptional, **extra):
    data = {"ticket": exceptional.ticket, "number": exceptional.enterprise_id, "resend": "1"}
    return client.post(STATUS, data | extra)


# The receipt


def test_the_request_queues_a_receipt_to_the_requester_in_the_requests_language(atlas):
    enterprise, ahmed = atlas

    exceptional = _create(enterprise, ahmed, language="nl")

    email = OutboundEmail.objects.get()
    assert (email.template, email.recipient, email.language) == (RECEIPT, "ahmed@atlas.be", "nl")
    assert exceptional.ticket in email.subject
    assert "Atlas Trading" in email.body_text
    assert "Ahmed El Amrani" in email.body_text
    assert "Druk het af en onderteken het met de hand." in email.body_text


def test_the_receipt_is_written_in_the_requests_transaction(atlas, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the outbox failed")

    monkeypatch.setattr(exceptional_requests.outbox, "enqueue", broken)

    with pytest.raises(RuntimeError):
        _create(*atlas)

    assert not ExceptionalRequest.objects.exists()
    assert not AuditRecord.objects.exists()


def test_the_receipt_goes_to_the_requester_not_to_the_gap_they_name(atlas):
    enterprise, elena = atlas
    luca = PersonFactory(first_name="Luca", last_name="Bianchi")

    _create(
        enterprise,
        elena,
        person=luca,
        email="luca@rossi.it",
        phone="+3225123456",
        requester_email="elena@rossi.it",
        requester_phone="+32470123456",
    )

    email = OutboundEmail.objects.get()
    assert email.recipient == "elena@rossi.it"
    assert "Luca Bianchi" in email.body_text


def test_a_refused_request_sends_no_receipt(atlas):
    enterprise, ahmed = atlas
    _create(enterprise, ahmed)

    with pytest.raises(Exception, match="déjà en cours"):
        _create(enterprise, ahmed)

    assert OutboundEmail.objects.count() == 1


def test_by_email_the_receipt_says_to_scan_the_signed_paper_and_where_to_send_it(atlas):
    _create(*atlas)

    body = OutboundEmail.objects.get().body_text

    assert "Imprimez-le et signez-le à la main." in body
    assert (
        "Scannez le document signé, puis envoyez le scan par e-mail à accesspers@smals.be" in body
    )
    assert "Avenue Fonsny" not in body


def test_by_post_the_receipt_gives_the_address_and_wants_the_original(atlas, settings):
    settings.EXCEPTIONAL_RETURN_MODE = "postal"

    _create(*atlas)

    body = OutboundEmail.objects.get().body_text
    assert "Envoyez l'original signé par la poste à\u202f:" in body
    assert "Avenue Fonsny 20" in body
    assert "Seuls les formulaires originaux signés à la main sont acceptés" in body
    assert "Scannez" not in body


def test_the_receipt_says_until_when_the_link_is_valid_and_where_to_follow_the_request(
    atlas, settings
):
    settings.EXCEPTIONAL_REQUEST_EXPIRY_DAYS = 30
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False):
        exceptional = _create(*atlas)

    email = OutboundEmail.objects.get()

    assert exceptional.expires_at == exceptional.created_at + timedelta(days=30)
    assert "valable jusqu'au 1 avril 2026 à 11:00" in email.body_text  # Brussels summer time
    assert f"http://127.0.0.1:8000{STATUS}" in email.body_text
    assert _link(email) in email.body_html


def test_the_finalisation_page_says_where_the_receipt_went_and_to_scan_the_paper(client, atlas):
    response = request_for(client, *atlas)

    page = _text(client.get(response.url))

    assert "Un accusé de réception vous a été envoyé à l'adresse ahmed@atlas.be" in page
    assert "Scannez d'abord le document signé" in page


def test_the_finalisation_page_asks_for_no_scan_when_the_paper_goes_by_post(
    client, atlas, settings
):
    settings.EXCEPTIONAL_RETURN_MODE = "postal"

    page = _text(client.get(request_for(client, *atlas).url))

    assert "Un accusé de réception vous a été envoyé" in page
    assert "Scannez" not in page


# The signed link


def test_the_receipts_link_downloads_the_document_in_a_browser_without_session(atlas):
    exceptional = _create(*atlas)
    link = _link(OutboundEmail.objects.get())

    response = Client().get(link)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="CSAM-{exceptional.ticket}.pdf"'
    )
    assert response.content.startswith(b"%PDF-")


def test_the_link_carries_no_guessable_url_only_a_signature_of_the_portal(atlas):
    exceptional = _create(*atlas)
    token = document_links.exceptional_document_token(exceptional)

    _payload, signature = token.split(":")
    assert signing.Signer(salt=document_links.DOCUMENT_LINK_SALT).unsign_object(token) == {
        "ticket": exceptional.ticket
    }
    assert len(signature) == 43


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # tampered signature
        lambda token: signing.Signer(salt="another.use").sign_object(
            signing.Signer(salt=document_links.DOCUMENT_LINK_SALT).unsign_object(token)
        ),  # signed by the portal, for another use
        lambda token: signing.Signer(
            key="not-our-key", salt=document_links.DOCUMENT_LINK_SALT
        ).sign_object({"ticket": "26ABCDEFGHJKM"}),  # not our key
    ],
    ids=["tampered", "other-salt", "other-key"],
)
def test_a_link_the_portal_did_not_make_is_a_clear_404(atlas, forge):
    exceptional = _create(*atlas)
    token = forge(document_links.exceptional_document_token(exceptional))

    response = Client().get(reverse("access_managers:exceptional_document_link", args=[token]))

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    page = _text(response)
    assert "Lien non valable" in page
    assert "ouvrez-le à nouveau depuis l'e-mail reçu" in page
    assert f'href="{STATUS}"' in response.content.decode()


def test_a_link_to_a_ticket_that_does_not_exist_is_a_404(db):
    token = signing.Signer(salt=document_links.DOCUMENT_LINK_SALT).sign_object(
        {"ticket": "26ABCDEFGHJKM"}
    )

    response = Client().get(reverse("access_managers:exceptional_document_link", args=[token]))

    assert response.status_code == 404
    assert "Lien non valable" in _text(response)


@pytest.mark.parametrize(
    "token", ["garbage", "a" * 300 + ":" + "b" * 43, "abc:def", "eyJ0aWNrZXQiOiIy:" + "x" * 42]
)
def test_a_link_of_the_wrong_shape_reaches_no_view(token):
    with pytest.raises(Resolver404):
        resolve(f"/gap/exceptional/document/{token}/")


@pytest.mark.parametrize(
    ("status", "says"),
    [
        ("approved", "a été approuvée"),
        ("rejected", "a été rejetée"),
        ("expired", "a expiré"),
    ],
)
def test_the_link_of_a_processed_or_expired_request_is_gone_with_what_to_do(atlas, status, says):
    exceptional = _create(*atlas)
    ExceptionalRequest.objects.filter(pk=exceptional.pk).update(status=status)
    link = _link(OutboundEmail.objects.get())

    response = Client().get(link)

    assert response.status_code == 410
    page = _text(response)
    assert "Document plus disponible" in page
    assert f"La demande {exceptional.ticket} {says}" in page


def test_the_link_stops_when_the_request_expires_even_before_the_hourly_task(atlas, settings):
    exceptional = _create(*atlas)
    link = _link(OutboundEmail.objects.get())

    with time_machine.travel(exceptional.expires_at - timedelta(seconds=1), tick=False):
        before = Client().get(link)
    with time_machine.travel(exceptional.expires_at, tick=False):
        after = Client().get(link)

    assert before.status_code == 200
    assert after.status_code == 410
    assert "a expiré" in _text(after)
    exceptional.refresh_from_db()
    assert exceptional.status == "open"  # reading changes nothing


def test_the_link_still_works_once_the_paper_was_received(atlas):
    exceptional = _create(*atlas)
    exceptional_requests.exceptional_request_receive(
        exceptional=exceptional, actor=Actor.system("tests")
    )
    link = _link(OutboundEmail.objects.get())

    with time_machine.travel(exceptional.expires_at + timedelta(days=1), tick=False):
        response = Client().get(link)

    assert response.status_code == 200


def test_a_download_by_the_link_writes_nothing(atlas):
    _create(*atlas)
    link = _link(OutboundEmail.objects.get())
    audit_before = AuditRecord.objects.count()

    Client().get(link)

    assert AuditRecord.objects.count() == audit_before
    assert OutboundEmail.objects.count() == 1


# «Recevoir à nouveau le document»


def test_the_status_page_offers_the_document_again_for_a_request_waiting_for_its_paper(atlas):
    exceptional = _create(*atlas)

    page = _text(
        Client().post(STATUS, {"ticket": exceptional.ticket, "number": exceptional.enterprise_id})
    )

    assert "Recevoir à nouveau le document" in page
    assert "ahmed@atlas.be" not in page
    assert "a•••@atlas.be" not in page  # the address is said only once the document is sent


@pytest.mark.parametrize("status", ["received", "approved", "rejected", "expired"])
def test_the_status_page_offers_nothing_for_a_request_no_longer_waiting(atlas, status):
    exceptional = _create(*atlas)
    ExceptionalRequest.objects.filter(pk=exceptional.pk).update(status=status)

    page = _text(
        Client().post(STATUS, {"ticket": exceptional.ticket, "number": exceptional.enterprise_id})
    )

    assert "Recevoir à nouveau le document" not in page


def test_resending_emails_the_link_to_the_address_on_file_and_says_it_masked(atlas):
    exceptional = _create(*atlas)
    asker = Client()

    response = _resend(asker, exceptional)

    assert response.status_code == 200
    page = _text(response)
    assert (
        "Le document a été envoyé à nouveau à l'adresse e-mail a•••@atlas.be indiquée dans la "
        "demande." in page
    )
    assert "ahmed@atlas.be" not in page
    first, again = OutboundEmail.objects.order_by("pk")
    assert (again.template, again.recipient, again.language) == (RECEIPT, "ahmed@atlas.be", "fr")
    assert "voici à nouveau le lien vers le document" in again.body_text
    assert Client().get(_link(again)).status_code == 200
    record = AuditRecord.objects.get(action="exceptional_document_resend")
    assert (record.object_repr, record.actor, record.after["recipient"]) == (
        exceptional.ticket,
        "anonymous",
        "ahmed@atlas.be",
    )


def test_resending_never_uses_an_address_given_by_whoever_asks(atlas):
    exceptional = _create(*atlas)

    _resend(Client(), exceptional, email="thief@example.com", requester_email="thief@example.com")

    recipients = set(OutboundEmail.objects.values_list("recipient", flat=True))
    assert recipients == {"ahmed@atlas.be"}


def test_resending_checks_the_ticket_and_the_enterprise_number_again(atlas):
    exceptional = _create(*atlas)
    other = EnterpriseFactory()

    response = _resend(Client(), exceptional, number=other.number)

    assert "Aucune demande ne correspond" in _text(response)
    assert OutboundEmail.objects.count() == 1
    assert not AuditRecord.objects.filter(action="exceptional_document_resend").exists()


def test_resending_is_limited_per_request_and_day(atlas, settings):
    settings.EXCEPTIONAL_RESENDS_PER_DAY = 2
    exceptional = _create(*atlas)
    _resend(Client(REMOTE_ADDR="192.0.2.1"), exceptional)
    _resend(Client(REMOTE_ADDR="192.0.2.2"), exceptional)

    refused = _resend(Client(REMOTE_ADDR="192.0.2.3"), exceptional)

    assert "Trop de demandes d'envoi pour cette demande aujourd'hui" in _text(refused)
    assert OutboundEmail.objects.count() == 3  # the receipt and two re-sends
    assert AuditRecord.objects.filter(action="exceptional_document_resend").count() == 2
    with time_machine.travel(timezone.now() + timedelta(days=1, seconds=1), tick=False):
        _resend(Client(REMOTE_ADDR="192.0.2.3"), exceptional)
    assert OutboundEmail.objects.count() == 4


def test_resending_counts_as_a_look_up_of_the_address(atlas, settings):
    settings.EXCEPTIONAL_LOOKUPS_PER_HOUR = 1
    exceptional = _create(*atlas)
    asker = Client()
    asker.post(STATUS, {"ticket": exceptional.ticket, "number": exceptional.enterprise_id})

    refused = _resend(asker, exceptional)

    assert "Trop de tentatives ont échoué" in _text(refused)
    assert OutboundEmail.objects.count() == 1


def test_a_refused_status_look_up_looks_nothing_up(atlas, settings):
    settings.EXCEPTIONAL_LOOKUPS_PER_HOUR = 1
    exceptional = _create(*atlas)
    asker = Client()
    asker.post(STATUS, {"ticket": exceptional.ticket, "number": exceptional.enterprise_id})

    refused = asker.post(STATUS, {"ticket": "A" * 13, "number": exceptional.enterprise_id})

    page = _text(refused)
    assert "Trop de tentatives ont échoué" in page
    assert "Aucune demande ne correspond" not in page  # the refusal says nothing of the ticket
    assert ThrottleHit.objects.count() == 1


def test_resending_a_request_no_longer_waiting_sends_nothing(atlas):
    exceptional = _create(*atlas)
    exceptional_requests.exceptional_request_receive(
        exceptional=exceptional, actor=Actor.system("tests")
    )

    response = _resend(Client(), exceptional)

    assert "Cette demande n'attend plus de document signé" in _text(response)
    assert OutboundEmail.objects.count() == 1
    assert not AuditRecord.objects.filter(action="exceptional_document_resend").exists()


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("marie.dubois@example.be", "m•••@example.be"),
        ("m@example.be", "•••@example.be"),
        ("not-an-address", "•••"),
        ("", "•••"),
    ],
)
def test_a_masked_address_keeps_its_first_letter_and_its_domain(address, masked):
    assert masked_email(address) == masked
