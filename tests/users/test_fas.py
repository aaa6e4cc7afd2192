"""CSAM's FAS over OpenID Connect replaces the simulators by configuration: tested against a real
OpenID Connect provider (pyop, RS256, the NISS in `egovNRN`; tests/users/fas_provider.py).

Every failure ends on one page, «La connexion avec CSAM n'a pas abouti», with a status that fits,
never a 500, and nobody logged in."""

import datetime
import logging
import socket
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from django.test import Client
from django.urls import reverse

from csam_portal.models import ThrottleHit
from tests.factories import PersonFactory, StaffUserFactory, UserFactory, make_niss
from tests.helpers import logged_in_user, text
from tests.users.fas_provider import CLIENT_ID, CLIENT_SECRET, ENDPOINTS, ISSUER, Fas, signing_key
from users.models import Person, User

pytestmark = pytest.mark.django_db

FAILED = "La connexion avec CSAM n'a pas abouti"
CANCELLED = "Vous avez annulé l'identification chez CSAM."
REFUSED = "CSAM a refusé de confirmer votre identité."
UNVERIFIED = "La réponse de CSAM n'a pas pu être vérifiée."
UNAVAILABLE = "Le service d'identification CSAM n'a pas répondu."
UNKNOWN = (
    "Votre numéro de registre national ne figure pas dans le registre consulté par le portail."
)
INVALID_NISS = "CSAM n'a pas transmis de numéro de registre national valable pour vous."
INACTIVE = "Votre compte sur le portail est désactivé."
STALE = "Cette demande de connexion a expiré ou a déjà été utilisée."
LOCKED = "Plusieurs connexions à votre compte ont échoué depuis cette connexion internet."


@pytest.fixture
def fas(settings):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        settings.DIGITAL_KEYS_PROVIDER = "oidc"
        settings.AUTHENTICATION_BACKENDS = [
            "users.backends.FasBackend",
            "users.backends.StaffBackend",
        ]
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.OIDC_RP_SIGN_ALGO = "RS256"
        settings.OIDC_OP_ISSUER = ISSUER
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = ENDPOINTS["authorization_endpoint"]
        settings.OIDC_OP_TOKEN_ENDPOINT = ENDPOINTS["token_endpoint"]
        settings.OIDC_OP_USER_ENDPOINT = ENDPOINTS["userinfo_endpoint"]
        settings.OIDC_OP_JWKS_ENDPOINT = ENDPOINTS["jwks_uri"]
        settings.OIDC_OP_LOGOUT_ENDPOINT = ENDPOINTS["end_session_endpoint"]
        yield Fas(mock)


def _to_fas(client, next_url="/about/") -> str:
    """«S'identifier»: the portal sends the browser to FAS's authorization endpoint."""
    login = client.get(reverse("users:login"), {"next": next_url})
    return client.get(login.url).url


def _log_in(client, fas, niss, **claims):
    """The person identifies at FAS, which sends the browser back to the portal's callback."""
    fas.identify(niss, **claims)
    return client.get(fas.authorize(_to_fas(client)))


def _assert_failed(client, response, status, what):
    page = text(response)
    assert response.status_code == status
    assert FAILED in page
    assert what in page
    assert reverse("oidc_authentication_init") in page  # «Réessayer»
    assert logged_in_user(client) is None


def _closed_port_url() -> str:
    """An address where nothing listens: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


# --- the happy path, and the logout ----------------------------------------------------------


def test_the_identity_providers_niss_logs_the_person_in(client, fas):
    person = PersonFactory()

    response = _log_in(client, fas, person.niss)

    assert response.status_code == 302
    assert response.url == "/about/"
    assert logged_in_user(client) == User.objects.get(person=person)


def test_a_returning_person_gets_their_existing_account(client, fas):
    account = UserFactory()

    _log_in(client, fas, account.person.niss)

    assert logged_in_user(client) == account
    assert User.objects.count() == 1


def test_the_logout_ends_the_session_at_fas_so_the_next_login_asks_again(client, fas):
    person = PersonFactory()
    _log_in(client, fas, person.niss)

    response = client.post(reverse("logout"))

    assert logged_in_user(client) is None
    end_session = urlsplit(response.url)
    assert f"{ISSUER}{end_session.path}" == ENDPOINTS["end_session_endpoint"]
    query = parse_qs(end_session.query)
    assert query["id_token_hint"]  # FAS knows whose session to end
    assert query["post_logout_redirect_uri"] == ["http://testserver/"]
    assert query["client_id"] == [CLIENT_ID]
    assert fas.end_session(response.url).startswith("http://testserver/")
    assert fas.authorize(_to_fas(client)) is None  # FAS asks the person to identify again


def test_without_fas_logging_out_the_next_login_would_be_silent(client, fas, settings):
    settings.OIDC_OP_LOGOUT_ENDPOINT = ""
    _log_in(client, fas, PersonFactory().niss)

    response = client.post(reverse("logout"))

    assert response.url == reverse("home")
    assert logged_in_user(client) is None
    assert fas.authorize(_to_fas(client)) is not None  # FAS's session answers at once


def test_the_back_office_logout_stays_in_the_portal(client, fas, staff):
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")

    response = client.post(reverse("logout"))

    assert response.url == reverse("home")
    assert logged_in_user(client) is None


# --- the ID token: OpenID Connect Core §3.1.3.7 ----------------------------------------------


def test_a_token_for_another_nonce_is_refused(client, fas):
    fas.id_token_changes = {"nonce": "a-nonce-the-portal-never-sent"}

    response = _log_in(client, fas, PersonFactory().niss)

    _assert_failed(client, response, 502, UNVERIFIED)
    assert User.objects.count() == 0


def test_a_token_signed_with_a_foreign_key_is_refused(client, fas):
    fas.provider.signing_key = signing_key(kid="fas-1")  # same key id, not the published key

    response = _log_in(client, fas, PersonFactory().niss)

    _assert_failed(client, response, 502, UNVERIFIED)
    assert User.objects.count() == 0


# fmt: off
@pytest.mark.parametrize("changes", [
    {"aud": "another-client"},
    {"aud": ["another-client"]},
    {"aud": [CLIENT_ID, "another-client"]},  # several audiences and no azp
    {"aud": [CLIENT_ID, "another-client"], "azp": "another-client"},
    {"azp": "another-client"},
])
# fmt: on
def test_a_token_issued_to_another_client_is_refused(client, fas, changes):
    fas.id_token_changes = changes

    response = _log_in(client, fas, PersonFactory().niss)

    _assert_failed(client, response, 502, UNVERIFIED)
    assert User.objects.count() == 0


def test_a_token_for_several_audiences_authorized_to_the_portal_is_accepted(client, fas):
    fas.id_token_changes = {"aud": [CLIENT_ID, "another-client"], "azp": CLIENT_ID}
    person = PersonFactory()

    _log_in(client, fas, person.niss)

    assert logged_in_user(client).person == person


@pytest.mark.parametrize("issuer", ["https://another-provider.test", "https://fas.test/"])
def test_a_token_of_another_issuer_is_refused(client, fas, issuer):
    fas.id_token_changes = {"iss": issuer}

    response = _log_in(client, fas, PersonFactory().niss)

    _assert_failed(client, response, 502, UNVERIFIED)


def test_an_expired_token_is_refused(client, fas, settings):
    now = int(time.time())
    fas.id_token_changes = {"iat": now - 3600, "exp": now - settings.OIDC_LEEWAY - 1}

    response = _log_in(client, fas, PersonFactory().niss)

    _assert_failed(client, response, 502, UNVERIFIED)


def test_a_token_issued_in_the_future_is_refused(client, fas, settings):
    now = int(time.time())
    fas.id_token_changes = {"iat": now + settings.OIDC_LEEWAY + 60, "exp": now + 3600}

    response = _log_in(client, fas, PersonFactory().niss)

    _assert_failed(client, response, 502, UNVERIFIED)


def test_a_clock_a_little_ahead_of_fas_is_tolerated(client, fas, settings):
    now = int(time.time())
    fas.id_token_changes = {"iat": now - 3600, "exp": now - settings.OIDC_LEEWAY + 5}
    person = PersonFactory()

    _log_in(client, fas, person.niss)

    assert logged_in_user(client).person == person


def test_userinfo_about_another_subject_than_the_token_is_refused(client, fas):
    fas.id_token_changes = {"sub": "somebody-else"}

    response = _log_in(client, fas, PersonFactory().niss)

    _assert_failed(client, response, 502, UNVERIFIED)
    assert User.objects.count() == 0


# --- the token endpoint's answers ------------------------------------------------------------


def test_a_code_already_used_is_refused_by_fas_and_told(client, fas):
    fas.identify(PersonFactory().niss)
    back = fas.authorize(_to_fas(client))
    fas.redeem(parse_qs(urlsplit(back).query)["code"][0])  # someone else was quicker

    response = client.get(back)

    _assert_failed(client, response, 502, REFUSED)
    assert User.objects.count() == 0


def test_a_wrong_client_secret_is_refused_by_fas_and_told(client, fas, settings):
    settings.OIDC_RP_CLIENT_SECRET = "not-the-secret"

    response = _log_in(client, fas, PersonFactory().niss)

    _assert_failed(client, response, 502, REFUSED)


# fmt: off
@pytest.mark.parametrize(("status", "body", "content_type", "expected", "what"), [
    (500, "Internal Server Error", "text/plain", 503, UNAVAILABLE),
    (200, "<html>maintenance</html>", "text/html", 502, UNVERIFIED),
    (200, "[]", "application/json", 502, UNVERIFIED),
    (200, '{"access_token": "a"}', "application/json", 502, UNVERIFIED),
    (200, '{"id_token": "not.a.jwt", "access_token": "a"}', "application/json", 502, UNVERIFIED),
])
# fmt: on
def test_a_garbled_token_answer_is_told(client, fas, status, body, content_type, expected, what):
    fas.mock.replace(
        responses.POST,
        ENDPOINTS["token_endpoint"],
        status=status,
        body=body,
        content_type=content_type,
    )

    response = _log_in(client, fas, PersonFactory().niss)

    _assert_failed(client, response, expected, what)


# --- FAS down or slow ------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT"])
def test_fas_down_is_told(client, fas, settings, endpoint):
    down = _closed_port_url()
    fas.mock.add_passthru(down)
    setattr(settings, endpoint, down)

    response = _log_in(client, fas, PersonFactory().niss)

    _assert_failed(client, response, 503, UNAVAILABLE)


def test_fas_too_slow_is_told_after_oidc_timeout(client, fas, settings):
    settings.OIDC_TIMEOUT = 0.2
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        slow = f"http://127.0.0.1:{silent.getsockname()[1]}/token"
        fas.mock.add_passthru(slow)
        settings.OIDC_OP_TOKEN_ENDPOINT = slow
        started = time.monotonic()

        response = _log_in(client, fas, PersonFactory().niss)

    assert time.monotonic() - started < 5
    _assert_failed(client, response, 503, UNAVAILABLE)


def test_every_call_to_fas_is_bounded_by_oidc_timeout(client, fas, settings):
    _log_in(client, fas, PersonFactory().niss)

    called = {call.request.url: call.request.req_kwargs["timeout"] for call in fas.mock.calls}
    assert called == {
        ENDPOINTS["token_endpoint"]: settings.OIDC_TIMEOUT,
        ENDPOINTS["jwks_uri"]: settings.OIDC_TIMEOUT,
        ENDPOINTS["userinfo_endpoint"]: settings.OIDC_TIMEOUT,
    }
    assert 0 < settings.OIDC_TIMEOUT <= 10  # the default: a person does not wait longer


# --- the person ------------------------------------------------------------------------------


def test_a_niss_unknown_to_the_national_register_is_told(client, fas):
    response = _log_in(client, fas, "75070210306")

    _assert_failed(client, response, 403, UNKNOWN)
    assert User.objects.count() == 0


@pytest.mark.parametrize("claim", ["", "80031510283", "not a number"])
def test_a_missing_or_invalid_niss_claim_is_told(client, fas, claim):
    response = _log_in(client, fas, claim)

    _assert_failed(client, response, 403, INVALID_NISS)
    assert User.objects.count() == 0


def test_a_deactivated_account_is_told(client, fas):
    account = UserFactory(is_active=False)

    response = _log_in(client, fas, account.person.niss)

    _assert_failed(client, response, 403, INACTIVE)


# --- the answers that come through the browser -----------------------------------------------


# fmt: off
@pytest.mark.parametrize(("error", "status", "what"), [
    ("access_denied", 403, CANCELLED),  # «Annuler» at FAS
    ("temporarily_unavailable", 503, UNAVAILABLE),
    ("server_error", 503, UNAVAILABLE),
    ("login_required", 502, REFUSED),
    ("invalid_scope", 502, REFUSED),
])
# fmt: on
def test_an_error_answer_of_fas_is_told(client, fas, error, status, what):
    back = fas.cancel(_to_fas(client), error=error)

    response = client.get(back)

    _assert_failed(client, response, status, what)


def test_a_state_this_browser_never_sent_is_told(client, fas):
    fas.identify(PersonFactory().niss)
    back = fas.authorize(_to_fas(client)).replace("state=", "state=x")

    response = client.get(back)

    _assert_failed(client, response, 400, STALE)
    assert User.objects.count() == 0


def test_an_answer_without_a_login_under_way_is_told(client, fas):
    response = client.get(reverse("oidc_authentication_callback"), {"code": "c", "state": "s"})

    _assert_failed(client, response, 400, STALE)


def test_an_answer_used_twice_is_told(client, fas):
    fas.identify(PersonFactory().niss)
    back = fas.authorize(_to_fas(client))
    client.get(back)
    client.post(reverse("logout"))

    response = client.get(back)  # the browser's history, or someone who saw the address

    _assert_failed(client, response, 400, STALE)


def test_a_failed_login_logs_out_whoever_was_logged_in(client, fas):
    _log_in(client, fas, PersonFactory().niss)

    response = client.get(fas.cancel(_to_fas(client)))

    _assert_failed(client, response, 403, CANCELLED)


def test_the_failure_is_logged_once_with_its_cause(client, fas, settings, caplog):
    settings.OIDC_RP_CLIENT_SECRET = "not-the-secret"

    with caplog.at_level(logging.DEBUG):
        _log_in(client, fas, PersonFactory().niss)

    failures = [record for record in caplog.records if record.name.startswith("users")]
    assert len(failures) == 1
    assert "refused" in failures[0].getMessage()
    assert "invalid_client" in failures[0].getMessage()


def test_the_failure_page_speaks_the_persons_language(client, fas):
    client.cookies["csam_language"] = "nl"

    response = client.get(fas.cancel(_to_fas(client)))

    assert "De aanmelding bij CSAM is niet gelukt" in text(response)


def test_retrying_goes_back_to_fas_for_the_same_page(client, fas):
    response = client.get(fas.cancel(_to_fas(client, next_url="/about/?a=1")))

    assert response.context["retry_url"] == (
        reverse("oidc_authentication_init") + "?next=%2Fabout%2F%3Fa%3D1"
    )


# --- configuration ---------------------------------------------------------------------------


def test_without_the_provider_configured_its_endpoints_do_not_exist(client):
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404


def test_the_next_page_keeps_its_whole_query(client, fas):
    response = client.get(reverse("users:login") + "?next=/about/%3Fa%3D1%26b%3D2")

    assert response.url == reverse("oidc_authentication_init") + "?next=%2Fabout%2F%3Fa%3D1%26b%3D2"


def test_people_unknown_to_the_register_do_not_lock_out_the_others_behind_their_address(
    client, fas
):
    for serial in range(4):  # four people FAS knows and the national register does not
        _log_in(Client(), fas, make_niss(datetime.date(1990, 1, 1), serial + 1))
    person = PersonFactory()

    _log_in(client, fas, person.niss)

    assert logged_in_user(client).person == person


def test_failed_fas_logins_count_for_their_niss_at_their_address(client, fas):
    unknown = make_niss(datetime.date(1990, 1, 1), 7)
    for _ in range(3):
        _log_in(Client(), fas, unknown)
    Person.objects.create(niss=unknown, first_name="Lena", last_name="Nieuw")

    response = _log_in(client, fas, unknown)

    _assert_failed(client, response, 429, LOCKED)
    keys = set(ThrottleHit.objects.values_list("bucket__key", flat=True))
    assert keys == {f"{unknown}|127.0.0.1"}


def test_the_back_office_cannot_log_in_through_fas(client, fas):
    staff = StaffUserFactory(person=PersonFactory())

    response = _log_in(client, fas, staff.person.niss)

    _assert_failed(client, response, 502, REFUSED)
