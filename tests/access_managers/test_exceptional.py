"""The exceptional procedure (flows.md §2): the request without a key, its PDF, the back office."""

import io
import re
from datetime import timedelta

import pytest
import segno
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import encode_multipart
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from access_managers import documents
from access_managers.models import AccessManager, ExceptionalRequest
from access_managers.services import exceptional_requests
from csam_portal.core.audit import Actor
from csam_portal.models import AuditRecord, OutboundEmail, ThrottleHit
from tests.factories import (
    AccessManagerFactory,
    EnterpriseFactory,
    LegalFunctionFactory,
    PersonFactory,
    StaffUserFactory,
)
from tests.helpers import EXCEPTIONAL_WIZARD, exceptional_step, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def atlas():
    """An enterprise whose legal representative has no eID (the demo's Ahmed El Amrani)."""
    enterprise = EnterpriseFactory(name="Atlas Trading")
    ahmed = PersonFactory(first_name="Ahmed", last_name="El Amrani", has_eid=False)
    LegalFunctionFactory(enterprise=enterprise, person=ahmed)
    return enterprise, ahmed


def identity(client, enterprise, person, *, first_name=None, last_name=None, seen_gap=""):
    client.get(reverse("access_managers:gap_exceptional"))
    return client.post(
        exceptional_step("identity"),
        {
            EXCEPTIONAL_WIZARD: "identity",
            "identity-niss": person.niss,
            "identity-first_name": first_name or person.first_name,
            "identity-last_name": last_name or person.last_name,
            "identity-number": enterprise.formatted_number,
            "identity-seen_gap": seen_gap,
        },
    )


def _created(enterprise, person):
    """A request recorded straight by the service: the person designates themself."""
    return exceptional_requests.exceptional_request_create(
        enterprise_number=enterprise.number,
        requester=person,
        person=person,
        email="a@b.be",
        phone="+3225123456",
        seen_gap=None,
        language="fr",
        actor=Actor.system("tests"),
    )


def request_for(client, enterprise, person, **manager):
    response = identity(client, enterprise, person)
    assert response.status_code == 302, text(response)
    fields = manager or {
        "gap": "self",
        "requester_email": "ahmed@atlas.be",
        "requester_phone": "02 512 34 56",
    }
    data = {
        EXCEPTIONAL_WIZARD: "manager",
        **{f"manager-{key}": value for key, value in fields.items()},
    }
    response = client.post(exceptional_step("manager"), data)
    assert response.status_code == 302, text(response)
    token = client.get(exceptional_step("confirmation")).context["form"].initial["token"]
    return client.post(
        exceptional_step("confirmation"),
        {
            EXCEPTIONAL_WIZARD: "confirmation",
            "confirmation-confirm": "on",
            "confirmation-token": token,
        },
    )


def test_ahmed_requests_without_logging_in_and_gets_a_ticket_and_the_document(client, atlas):
    enterprise, ahmed = atlas

    response = request_for(client, enterprise, ahmed)
    page = text(client.get(response.url))

    exceptional = ExceptionalRequest.objects.get()
    assert re.fullmatch(r"\d{2}[A-HJKMNP-Z2-9]{11}", exceptional.ticket)
    assert exceptional.ticket.startswith(timezone.localdate().strftime("%y"))
    assert "Finalisation de la demande" in page
    assert (
        "Votre demande a été enregistrée avec succès dans le système sous le numéro de ticket "
        f"{exceptional.ticket}." in re.sub(r"\s+", " ", re.sub(r"</?strong>", "", page))
    )
    assert "Télécharger le document" in page
    assert "accesspers@smals.be" in page
    assert "Bienvenue" not in page
    assert (exceptional.status, exceptional.gap, exceptional.requester) == ("open", ahmed, ahmed)
    assert not AccessManager.objects.exists()  # nothing designated before the signed paper
    assert AuditRecord.objects.get().action == "exceptional_request_create"

    pdf = client.get(reverse("access_managers:exceptional_document", args=[exceptional.ticket]))
    assert pdf["Content-Type"] == "application/pdf"
    content = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    for expected in [
        exceptional.ticket,
        "Atlas Trading",
        enterprise.formatted_number,
        "Ahmed El Amrani",
        ahmed.niss,
        "ahmed@atlas.be",
        "Conditions d'activation",
        "Signature du représentant légal",
        "accesspers@smals.be",
    ]:
        assert expected in content, expected


def test_the_postal_return_is_configuration(client, atlas, settings):
    settings.EXCEPTIONAL_RETURN_MODE = "postal"

    page = text(client.get(request_for(client, *atlas).url))

    assert "Avenue Fonsny 20" in page
    assert "Attention\u202f: Vous devez envoyer votre demande par la poste" in page
    assert "accesspers@smals.be" not in page


def test_elena_designates_luca_in_dutch_and_the_pdf_is_in_dutch(client, atlas):
    enterprise, elena = atlas
    luca = PersonFactory(first_name="Luca", last_name="Bianchi")
    client.post(reverse("language_set"), {"language": "nl", "next": "/"})

    request_for(
        client,
        enterprise,
        elena,
        gap="other",
        niss=luca.niss,
        email="luca@rossi.it",
        phone="02 512 34 56",
        requester_email="elena@rossi.it",
        requester_phone="0470 12 34 56",
    )

    exceptional = ExceptionalRequest.objects.get()
    assert (exceptional.gap, exceptional.language) == (luca, "nl")
    assert (exceptional.requester_email, exceptional.gap_email) == (
        "elena@rossi.it",
        "luca@rossi.it",
    )
    pdf = documents.exceptional_request_pdf(exceptional)
    content = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Luca Bianchi" in content
    assert "Activeringsvoorwaarden" in content


@pytest.mark.parametrize(
    ("change", "value"),
    [("first_name", "Ahmad"), ("last_name", "Amrani"), ("niss", None), ("number", None)],
)
def test_a_wrong_identity_gets_one_generic_refusal(client, atlas, change, value):
    enterprise, ahmed = atlas
    if change == "niss":
        ahmed = PersonFactory(first_name="Ahmed", last_name="El Amrani")
    if change == "number":
        enterprise = EnterpriseFactory()
    kwargs = {change: value} if value else {}

    response = identity(client, enterprise, ahmed, **kwargs)

    assert response.status_code == 200
    assert "Ces données ne correspondent à aucun représentant légal actuel" in text(response)
    assert ExceptionalRequest.objects.count() == 0
    assert ThrottleHit.objects.filter(bucket__scope="exceptional-lookup").count() == 1


def test_names_match_whatever_case_accents_and_spaces(client, atlas):
    enterprise, ahmed = atlas

    response = identity(client, enterprise, ahmed, first_name=" AHMÉD ", last_name="elamrani")

    assert response.status_code == 302


def test_refused_identities_are_limited_per_ip(client, atlas, settings):
    settings.EXCEPTIONAL_LOOKUPS_PER_HOUR = 2
    enterprise, ahmed = atlas
    identity(client, enterprise, ahmed, first_name="X")
    identity(client, enterprise, ahmed, first_name="Y")

    response = identity(client, enterprise, ahmed)  # even the right data is not checked now

    assert response.status_code == 200
    assert "Trop de tentatives ont échoué" in text(response)
    assert ExceptionalRequest.objects.count() == 0


def test_one_pending_request_per_enterprise(client, atlas):
    enterprise, ahmed = atlas
    request_for(client, enterprise, ahmed)

    with pytest.raises(Exception, match="déjà en cours"):
        _created(enterprise, ahmed)
    assert ExceptionalRequest.objects.count() == 1


def test_a_ticket_collision_draws_another(atlas, monkeypatch):
    enterprise, ahmed = atlas
    other = EnterpriseFactory()
    LegalFunctionFactory(enterprise=other, person=ahmed)
    tickets = iter(["26AAAAAAAAAAA", "26AAAAAAAAAAA", "26BBBBBBBBBBB"])
    monkeypatch.setattr(exceptional_requests, "ticket_new", lambda: next(tickets))
    create = dict(
        requester=ahmed,
        person=ahmed,
        email="a@b.be",
        phone="+3225123456",
        seen_gap=None,
        language="fr",
        actor=Actor.system("tests"),
    )

    first = exceptional_requests.exceptional_request_create(
        enterprise_number=enterprise.number, **create
    )
    second = exceptional_requests.exceptional_request_create(
        enterprise_number=other.number, **create
    )

    assert (first.ticket, second.ticket) == ("26AAAAAAAAAAA", "26BBBBBBBBBBB")


def test_only_the_session_that_asked_or_staff_download_the_document(client, atlas):
    request_for(client, *atlas)
    ticket = ExceptionalRequest.objects.get().ticket
    url = reverse("access_managers:exceptional_document", args=[ticket])
    stranger, staff, plain_staff = Client(), Client(), Client()
    staff.force_login(StaffUserFactory())
    plain_staff.force_login(_staff_without_group())

    assert client.get(url).status_code == 200
    assert stranger.get(url).status_code == 404
    assert staff.get(url).status_code == 200
    assert plain_staff.get(url).status_code == 404


def _staff_without_group():
    from users.models import User

    return User.objects.create_user(username="nogroup", password="x", is_staff=True)


def test_the_document_is_the_same_when_downloaded_again(client, atlas):
    request_for(client, *atlas)
    exceptional = ExceptionalRequest.objects.get()

    first = documents.exceptional_request_pdf(exceptional)
    second = documents.exceptional_request_pdf(exceptional)

    def without_dates(pdf):
        return re.sub(rb"/(CreationDate|ModDate) \([^)]*\)", b"", pdf)

    assert without_dates(first) == without_dates(second)


def test_the_qr_code_carries_the_ticket():
    code = documents.ticket_qr_code("26ABCDEFGHJKM")

    assert code.matrix == segno.make("26ABCDEFGHJKM", error="m", micro=False).matrix
    assert code.mode == "alphanumeric"


def _admin(client, perms=True):
    user = StaffUserFactory() if perms else _staff_without_group()
    client.force_login(user)
    return user


def _action(client, action, requests, **extra):
    url = reverse("admin:access_managers_exceptionalrequest_changelist")
    data = {"action": action, "_selected_action": [r.pk for r in requests], **extra}
    return client.post(url, data)


def test_back_office_receives_then_approves_and_the_gap_is_designated(
    client, atlas, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    enterprise, ahmed = atlas
    request_for(client, enterprise, ahmed)
    exceptional = ExceptionalRequest.objects.get()
    staff = _admin(client)

    before_receipt = _action(client, "approve", [exceptional])
    assert "n'a pas encore été reçu" in text(client.get(before_receipt.url))
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    _action(client, "receive", [exceptional], apply="1", scan=scan)
    _action(client, "approve", [exceptional])

    exceptional.refresh_from_db()
    assert exceptional.status == "approved"
    assert exceptional.received_at is not None
    assert exceptional.scan.name.endswith("scan.pdf")
    assert exceptional.decided_by == staff
    gap = AccessManager.objects.get(enterprise=enterprise, ended_at=None)
    assert (gap.person, gap.procedure, gap.designated_by) == (ahmed, "exceptional", ahmed)
    email = OutboundEmail.objects.exclude(template="access_managers/exceptional_receipt").get()
    assert (email.template, email.recipient) == ("access_managers/gap_designated", "ahmed@atlas.be")
    actions = list(AuditRecord.objects.filter(actor_user=staff).values_list("action", flat=True))
    assert {"exceptional_request_receive", "exceptional_request_approve", "gap_designate"} <= set(
        actions
    )


def test_back_office_rejects_with_a_reason_emailed_once(client, atlas):
    request_for(client, *atlas)
    exceptional = ExceptionalRequest.objects.get()
    _admin(client)

    form = _action(client, "reject", [exceptional])
    assert "Motif du rejet" in text(form)
    _action(client, "reject", [exceptional], apply="1", reason="Signature manquante.")
    again = _action(client, "approve", [exceptional])

    exceptional.refresh_from_db()
    assert (exceptional.status, exceptional.rejection_reason) == (
        "rejected",
        "Signature manquante.",
    )
    email = OutboundEmail.objects.get(template="access_managers/exceptional_rejected")
    assert email.recipient == "ahmed@atlas.be"
    assert "Signature manquante." in email.body_text
    assert not AccessManager.objects.exists()
    assert "a déjà été traitée" in text(client.get(again.url))


def test_staff_without_the_permission_cannot_process(client, atlas):
    request_for(client, *atlas)
    exceptional = ExceptionalRequest.objects.get()
    _admin(client, perms=False)

    response = _action(client, "approve", [exceptional])

    assert response.status_code in (302, 403)
    exceptional.refresh_from_db()
    assert exceptional.status == "open"


def test_old_pending_requests_expire(client, atlas, settings):
    request_for(client, *atlas)
    ExceptionalRequest.objects.update(created_at=timezone.now() - timedelta(days=91))

    expired = exceptional_requests.exceptional_requests_expire(actor=Actor.system("tests"))

    assert expired == 1
    assert ExceptionalRequest.objects.get().status == "expired"


def test_a_registered_enterprise_still_allows_a_request_to_change_the_gap(client, atlas):
    enterprise, ahmed = atlas
    current = AccessManagerFactory(enterprise=enterprise)

    first = identity(client, enterprise, ahmed)
    assert "Cette entreprise est déjà enregistrée dans CSAM." in text(first)
    second = client.post(
        exceptional_step("identity"),
        {
            EXCEPTIONAL_WIZARD: "identity",
            "identity-niss": ahmed.niss,
            "identity-first_name": "Ahmed",
            "identity-last_name": "El Amrani",
            "identity-number": enterprise.number,
            "identity-seen_gap": current.person_id,
        },
    )

    assert second.status_code == 302


def test_the_status_page_tells_the_status_for_the_right_pair_only(client, atlas):
    enterprise, ahmed = atlas
    request_for(client, enterprise, ahmed)
    ticket = ExceptionalRequest.objects.get().ticket
    url = reverse("access_managers:exceptional_status")

    good = text(client.post(url, {"ticket": ticket.lower(), "number": enterprise.number}))
    bad = text(client.post(url, {"ticket": ticket, "number": EnterpriseFactory().number}))

    assert "en attente du document signé" in good
    assert "Aucune demande ne correspond" in bad
    assert "en attente du document signé" not in bad


def test_staff_download_the_received_scan_from_the_request(client, atlas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    request_for(client, *atlas)
    exceptional = ExceptionalRequest.objects.get()
    _admin(client)
    scan = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    _action(client, "receive", [exceptional], apply="1", scan=scan)

    page = text(
        client.get(
            reverse("admin:access_managers_exceptionalrequest_change", args=[exceptional.pk])
        )
    )
    download = client.get(
        reverse("admin:access_managers_exceptionalrequest_scan", args=[exceptional.pk])
    )

    assert "signed.pdf" in page
    assert b"".join(download.streaming_content) == b"%PDF-1.4 signed"


def test_a_forged_later_step_without_identity_is_sent_back_not_a_server_error(client):
    client.get(reverse("access_managers:gap_exceptional"))

    post = client.post(
        exceptional_step("manager"), {EXCEPTIONAL_WIZARD: "manager", "manager-gap": "self"}
    )
    get = client.get(exceptional_step("confirmation"))

    assert (post.status_code, get.status_code) == (302, 302)
    assert post.url == get.url == exceptional_step("identity")


def test_an_identity_that_no_longer_holds_sends_back_to_the_first_screen(client, atlas):
    enterprise, ahmed = atlas
    identity(client, enterprise, ahmed)
    winner = AccessManagerFactory(enterprise=enterprise)  # registered meanwhile

    response = client.get(exceptional_step("manager"))

    assert response.url == exceptional_step("identity")
    html = text(client.get(response.url))
    assert "Cette entreprise est déjà enregistrée dans CSAM." in html
    assert winner.person.full_name in html


def test_a_pending_request_is_said_on_the_first_screen(client, atlas):
    enterprise, ahmed = atlas
    request_for(client, enterprise, ahmed)
    other = Client()

    response = identity(other, enterprise, ahmed)

    assert "Une demande exceptionnelle est déjà en cours pour cette entreprise" in text(response)
    assert ExceptionalRequest.objects.count() == 1


def test_naming_other_persons_counts_as_look_ups(client, atlas, settings):
    settings.EXCEPTIONAL_LOOKUPS_PER_HOUR = 3
    enterprise, ahmed = atlas
    identity(client, enterprise, ahmed)  # look-up 1
    people = [PersonFactory() for _ in range(3)]

    def name(person):
        return client.post(
            exceptional_step("manager"),
            {
                EXCEPTIONAL_WIZARD: "manager",
                "manager-gap": "other",
                "manager-niss": person.niss,
                "manager-email": "x@test.be",
                "manager-phone": "02 512 34 56",
                "manager-requester_email": "a@test.be",
                "manager-requester_phone": "02 512 34 56",
            },
        )

    first, second = name(people[0]), name(people[1])  # look-ups 2 and 3
    third = name(people[2])  # look-up 4: over the allowance

    assert (first.status_code, second.status_code) == (302, 302)
    assert third.status_code == 200
    assert "Trop de tentatives ont échoué" in text(third)
    assert people[2].full_name not in text(third)


def test_a_ticket_with_odd_characters_is_not_found():
    client = Client()

    # ../, a look-alike letter (O) outside the alphabet, lower case, unicode digits
    for ticket in ["..%2Fetc", "26ABCDEFGHJKO", "26abcdefghjkm", "%D9%A26ABCDEFGHJKM"]:
        assert client.get(f"/gap/exceptional/{ticket}/document.pdf").status_code == 404


def test_admin_finds_a_request_by_the_number_as_people_write_it(client, atlas):
    enterprise, ahmed = atlas
    request_for(client, enterprise, ahmed)
    _admin(client)
    url = reverse("admin:access_managers_exceptionalrequest_changelist")

    for term in [enterprise.formatted_number, f"BE {enterprise.number}"]:
        page = text(client.get(url, {"q": term}))
        assert ExceptionalRequest.objects.get().ticket in page, term


def test_staff_who_may_only_look_cannot_process(client, atlas):
    from django.contrib.auth.models import Permission

    request_for(client, *atlas)
    exceptional = ExceptionalRequest.objects.get()
    viewer = _staff_without_group()
    viewer.user_permissions.add(Permission.objects.get(codename="view_exceptionalrequest"))
    client.force_login(viewer)

    assert (
        client.get(reverse("admin:access_managers_exceptionalrequest_changelist")).status_code
        == 200
    )
    _action(client, "receive", [exceptional], apply="1")
    _action(client, "reject", [exceptional], apply="1", reason="x")

    exceptional.refresh_from_db()
    assert exceptional.status == "open"


def test_approval_refused_when_the_requester_is_no_longer_lr_tells_staff_what_to_do(client, atlas):
    enterprise, ahmed = atlas
    request_for(client, enterprise, ahmed)
    exceptional = ExceptionalRequest.objects.get()
    _admin(client)
    _action(client, "receive", [exceptional], apply="1")
    enterprise.legal_functions.update(end_date="2020-01-01")

    response = _action(client, "approve", [exceptional])

    assert "le demandeur n'est plus représentant légal" in text(client.get(response.url))
    exceptional.refresh_from_db()
    assert exceptional.status == "received"
    assert not AccessManager.objects.exists()


def test_only_requests_still_waiting_for_their_paper_expire(client, atlas, settings):
    settings.EXCEPTIONAL_REQUEST_EXPIRY_DAYS = 30
    enterprise, ahmed = atlas
    request_for(client, enterprise, ahmed)
    old = ExceptionalRequest.objects.get()
    second = EnterpriseFactory()
    LegalFunctionFactory(enterprise=second, person=ahmed)
    received = _created(second, ahmed)
    exceptional_requests.exceptional_request_receive(
        exceptional=received, actor=Actor.system("tests")
    )
    ExceptionalRequest.objects.update(created_at=timezone.now() - timedelta(days=31))
    young = EnterpriseFactory()
    LegalFunctionFactory(enterprise=young, person=ahmed)
    fresh = _created(young, ahmed)

    assert exceptional_requests.exceptional_requests_expire(actor=Actor.system("tests")) == 1
    statuses = {r.pk: r.status for r in ExceptionalRequest.objects.all()}
    assert statuses == {old.pk: "expired", received.pk: "received", fresh.pk: "open"}


def test_the_rejection_is_written_in_the_requesters_language(client, atlas):
    client.post(reverse("language_set"), {"language": "nl", "next": "/"})
    request_for(client, *atlas)
    exceptional = ExceptionalRequest.objects.get()
    staff = Client()
    _admin(staff)

    _action(staff, "reject", [exceptional], apply="1", reason="Handtekening ontbreekt.")

    email = OutboundEmail.objects.get(template="access_managers/exceptional_rejected")
    assert email.language == "nl"
    assert exceptional.ticket in email.subject
    assert "Handtekening ontbreekt." in email.body_text


def _scan_of(size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("scan.pdf", b"%" * size, content_type="application/pdf")


def _nothing_received(exceptional, media) -> bool:
    exceptional.refresh_from_db()
    return (
        exceptional.status == "open"
        and exceptional.received_at is None
        and not exceptional.scan
        and not AuditRecord.objects.filter(action="exceptional_request_receive").exists()
        and not any(media.iterdir())
    )


def test_a_scan_as_large_as_allowed_is_received(client, atlas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    request_for(client, *atlas)
    exceptional = ExceptionalRequest.objects.get()
    _admin(client)
    size = settings.EXCEPTIONAL_SCAN_MAX_MB * 1024 * 1024

    response = _action(client, "receive", [exceptional], apply="1", scan=_scan_of(size))

    assert response.status_code == 302
    exceptional.refresh_from_db()
    assert exceptional.received_at is not None
    assert exceptional.scan.size == size


def test_a_scan_over_its_limit_is_refused_with_the_reason(client, atlas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    request_for(client, *atlas)
    exceptional = ExceptionalRequest.objects.get()
    _admin(client)
    size = settings.EXCEPTIONAL_SCAN_MAX_MB * 1024 * 1024 + 1

    response = _action(client, "receive", [exceptional], apply="1", scan=_scan_of(size))

    assert response.status_code == 200
    assert "Le scan dépasse 10 Mo\u202f: réduisez-le (par exemple en noir et blanc)." in text(
        response
    )
    assert _nothing_received(exceptional, tmp_path)


def test_a_request_body_over_the_cap_gets_413_and_changes_nothing(
    client, atlas, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    request_for(client, *atlas)
    exceptional = ExceptionalRequest.objects.get()
    _admin(client)
    size = settings.MAX_REQUEST_BODY_MB * 1024 * 1024

    response = _action(client, "receive", [exceptional], apply="1", scan=_scan_of(size))

    assert response.status_code == 413
    page = text(response)
    assert "Envoi trop volumineux" in page
    assert "Un fichier joint ne peut dépasser 10 Mo" in page
    assert _nothing_received(exceptional, tmp_path)


def test_a_request_body_without_a_length_is_not_read(client, atlas, settings, tmp_path):
    """A chunked body reaches Django without Content-Length: Django reads none of it."""
    settings.MEDIA_ROOT = tmp_path
    request_for(client, *atlas)
    exceptional = ExceptionalRequest.objects.get()
    _admin(client)
    boundary = "BoUnDaRy"
    body = encode_multipart(
        boundary,
        {
            "action": "receive",
            "_selected_action": [exceptional.pk],
            "apply": "1",
            "scan": _scan_of(settings.MAX_REQUEST_BODY_MB * 1024 * 1024),
        },
    )
    url = reverse("admin:access_managers_exceptionalrequest_changelist")

    response = client.generic(
        "POST",
        url,
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
    )

    assert response.status_code in (200, 302)
    assert _nothing_received(exceptional, tmp_path)


def test_looking_at_the_first_screen_creates_no_session(client, settings):
    """A visitor, or a bot, who only looks leaves nothing behind: the state is stored on POST."""
    responses = [client.get(reverse("access_managers:gap_exceptional"))]
    responses.append(client.get(responses[0].url))

    assert responses[1].status_code == 200
    assert all(settings.SESSION_COOKIE_NAME not in response.cookies for response in responses)
    assert Session.objects.count() == 0
