"""A NUL byte in the path, the query string, the form or a cookie is a 400 before any view,
query or session (csam_portal.core.middleware.NulByteMiddleware)."""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from csam_portal.models import ContactMessage

pytestmark = pytest.mark.django_db

CONTACT = {
    "name": "Marie Dubois",
    "email": "marie@example.be",
    "subject": "Désignation du GAP",
    "message": "Comment désigner un GAP ?",
}


@pytest.mark.parametrize(
    "url",
    [
        "/access-managers/%00/",
        "/access-managers/0200000043%00/co-gaps/add/",
        "/gap/designate/enterprise%00/",
        "/nothing-here/%00",
        "/admin/users/person/%00/change/",
    ],
)
def test_a_nul_byte_in_the_path_is_a_400_without_any_query(
    client, person_user, url, django_assert_num_queries
):
    client.force_login(person_user)

    with django_assert_num_queries(0):
        get, post = client.get(url), client.post(url)

    assert (get.status_code, post.status_code) == (400, 400)
    assert "Demande incorrecte" in get.content.decode()


def test_a_nul_byte_in_the_query_string_is_a_400(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/admin/csam_portal/outboundemail/?status__exact=%00")

    assert response.status_code == 400


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("name=Marie%00&email=marie%40example.be", "application/x-www-form-urlencoded"),
        ("name=Marie\x00&email=marie%40example.be", "application/x-www-form-urlencoded"),
        ("Marie%00=Dubois", "application/x-www-form-urlencoded"),
    ],
    ids=["encoded", "raw-byte", "in-a-name"],
)
def test_a_nul_byte_in_a_urlencoded_form_is_a_400_and_records_nothing(
    client, person_user, body, content_type, django_assert_num_queries
):
    client.force_login(person_user)

    with django_assert_num_queries(0):
        response = client.post(reverse("contact"), body, content_type=content_type)

    assert response.status_code == 400
    assert ContactMessage.objects.count() == 0


def test_a_nul_byte_in_a_multipart_form_is_a_400_and_records_nothing(client):
    response = client.post(reverse("contact"), {**CONTACT, "message": "Bonjour\x00"})

    assert response.status_code == 400
    assert ContactMessage.objects.count() == 0


def test_an_uploaded_file_may_hold_nul_bytes(client):
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.7\x00\x00binary", content_type="application/pdf")

    response = client.post(reverse("contact"), {**CONTACT, "scan": scan})

    assert response.status_code == 302
    assert ContactMessage.objects.count() == 1


def test_a_nul_byte_in_a_cookie_is_a_400_without_any_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("contact"), HTTP_COOKIE="sessionid=abcdefgh\x00ijkl")

    assert response.status_code == 400


def test_a_refused_request_neither_loads_nor_saves_the_session(client, person_user):
    client.force_login(person_user)
    session_key = client.session.session_key

    response = client.post(reverse("language_set"), {"language": "nl", "next": "/\x00"})

    assert response.status_code == 400
    assert "sessionid" not in response.cookies
    assert client.session.session_key == session_key
    person_user.refresh_from_db()
    assert person_user.language == "fr"


def test_a_refused_request_is_logged_once_as_a_warning_without_the_nul(client, caplog):
    caplog.set_level(logging.INFO)

    client.get("/access-managers/%00abc/?x=1", REMOTE_ADDR="192.0.2.7")

    assert [(record.name, record.levelname, record.getMessage()) for record in caplog.records] == [
        (
            "csam_portal.middleware",
            "WARNING",
            "NUL byte in the request refused: GET /access-managers/abc/ from 192.0.2.7",
        )
    ]


def test_the_refusal_is_in_the_language_the_visitor_chose(client):
    client.cookies["csam_language"] = "nl"

    response = client.get("/access-managers/%00/")

    assert "Ongeldige aanvraag" in response.content.decode()
    assert response.headers["Content-Language"] == "nl"


def test_a_request_without_nul_goes_through(client):
    response = client.get(reverse("contact"), {"next": "/about/"})

    assert response.status_code == 200
