"""CSAM's FAS over OpenID Connect replaces the simulators by configuration: tested against a
fake provider (a real HTTP server in this process, signing its ID tokens with HS256)."""

import datetime
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from django.test import Client
from django.urls import reverse

from csam_portal.models import ThrottleHit
from tests.factories import PersonFactory, StaffUserFactory, make_niss
from users.models import Person, User

pytestmark = pytest.mark.django_db

CLIENT_ID, CLIENT_SECRET = "csam-portal", "fas-test-secret-of-thirty-two-bytes!"


class FakeProvider:
    """Token and userinfo endpoints of an OpenID provider that vouches for `niss`."""

    def __init__(self):
        self.niss = ""
        self.nonce = ""
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers["Content-Length"])
                form = parse_qs(self.rfile.read(length).decode())
                assert form["client_id"] == [CLIENT_ID]
                claims = {
                    "iss": provider.url,
                    "aud": CLIENT_ID,
                    "sub": f"fas-{provider.niss}",
                    "nonce": provider.nonce,
                    "iat": int(time.time()),
                    "exp": int(time.time()) + 300,
                }
                token = jwt.encode(claims, CLIENT_SECRET, algorithm="HS256")
                self._json({"id_token": token, "access_token": "access", "token_type": "Bearer"})

            def do_GET(self):  # noqa: N802
                self._json({"sub": f"fas-{provider.niss}", "egovNRN": provider.niss})

            def _json(self, body):
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fas(settings):
    provider = FakeProvider()
    settings.DIGITAL_KEYS_PROVIDER = "oidc"
    settings.AUTHENTICATION_BACKENDS = ["users.backends.FasBackend", "users.backends.StaffBackend"]
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider.url}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider.url}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider.url}/userinfo"
    yield provider
    provider.close()


def _log_in_through_fas(client, fas, niss):
    to_fas = client.get(reverse("users:login") + "?next=/about/", follow=True)
    authorize = urlparse(to_fas.redirect_chain[-1][0])
    query = parse_qs(authorize.query)
    assert f"{authorize.scheme}://{authorize.netloc}{authorize.path}" == f"{fas.url}/authorize"
    fas.niss, fas.nonce = niss, query["nonce"][0]
    return client.get(
        reverse("oidc_authentication_callback"), {"code": "c0de", "state": query["state"][0]}
    )


def test_the_identity_providers_niss_logs_the_person_in(client, fas):
    person = PersonFactory()

    response = _log_in_through_fas(client, fas, person.niss)

    assert response.status_code == 302
    assert response.url == "/about/"
    account = User.objects.get(person=person)
    assert client.get("/about/").wsgi_request.user == account


def test_a_niss_unknown_to_the_national_register_is_refused(client, fas):
    response = _log_in_through_fas(client, fas, "75070210306")

    assert response.status_code == 302
    assert client.get("/about/").wsgi_request.user.is_anonymous
    assert User.objects.count() == 0


def test_without_the_provider_configured_its_endpoints_do_not_exist(client):
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404


@pytest.mark.parametrize("claim", ["", "80031510283", "not a number"])
def test_a_missing_or_invalid_niss_claim_is_refused(client, fas, claim):
    response = _log_in_through_fas(client, fas, claim)

    assert response.status_code == 302
    assert client.get("/about/").wsgi_request.user.is_anonymous
    assert User.objects.count() == 0


def test_the_next_page_keeps_its_whole_query(client, fas):
    response = client.get(reverse("users:login") + "?next=/about/%3Fa%3D1%26b%3D2")

    assert response.url == reverse("oidc_authentication_init") + "?next=%2Fabout%2F%3Fa%3D1%26b%3D2"


def test_people_unknown_to_the_register_do_not_lock_out_the_others_behind_their_address(
    client, fas
):
    for serial in range(4):  # four people FAS knows and the national register does not
        _log_in_through_fas(Client(), fas, make_niss(datetime.date(1990, 1, 1), serial + 1))
    person = PersonFactory()

    response = _log_in_through_fas(client, fas, person.niss)

    assert response.url == "/about/"
    assert client.get("/about/").wsgi_request.user.person == person


def test_a_failed_fas_login_counts_for_its_niss_at_its_address(client, fas):
    unknown = make_niss(datetime.date(1990, 1, 1), 7)
    for _ in range(3):
        _log_in_through_fas(Client(), fas, unknown)
    Person.objects.create(niss=unknown, first_name="Lena", last_name="Nieuw")

    locked = _log_in_through_fas(client, fas, unknown)

    assert client.get("/about/").wsgi_request.user.is_anonymous
    assert locked.status_code == 302
    keys = set(ThrottleHit.objects.values_list("bucket__key", flat=True))
    assert keys == {f"{unknown}|127.0.0.1"}


def test_the_back_office_cannot_log_in_through_fas(client, fas):
    staff = StaffUserFactory(person=PersonFactory())

    _log_in_through_fas(client, fas, staff.person.niss)

    assert client.get("/about/").wsgi_request.user.is_anonymous
