import pytest
from django.utils import translation

from csam_portal.core import outbox
from csam_portal.core.audit import Actor
from tests.factories import StaffUserFactory, UserFactory


@pytest.fixture(autouse=True)
def _broker_circuit_closed():
    """Each test starts with the outbox's broker circuit closed, whatever the previous one did."""
    outbox._broker_down_until = 0.0
    yield
    outbox._broker_down_until = 0.0


@pytest.fixture(autouse=True)
def _language_of_a_new_thread():
    """Each test starts in French, as a new request does: a request's language (activated by
    csam_portal.core.middleware.LanguageMiddleware, as Django's own LocaleMiddleware does) stays
    active in its thread until the next request, and a test is not the next request."""
    translation.activate("fr")
    yield
    translation.activate("fr")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 takes half a second a password: a test needs no such strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def person_user(db):
    return UserFactory()


@pytest.fixture
def staff(db):
    return StaffUserFactory()


@pytest.fixture
def system_actor():
    return Actor.system("tests")
