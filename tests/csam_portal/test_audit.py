import pytest
from django.test import RequestFactory

from csam_portal.core import audit
from csam_portal.models import AuditRecord
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_record_keeps_who_in_which_role_what_object_before_after_and_ip():
    user = UserFactory()
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.10")
    request.user = user
    actor = audit.Actor.from_request(request, role="GAP")
    before = audit.snapshot(user)
    user.language = "nl"

    entry = audit.record(actor, "user_language_set", user, before=before, after=user)

    entry = AuditRecord.objects.get(pk=entry.pk)
    assert entry.actor_user == user
    assert entry.actor == str(user)
    assert entry.actor_role == "GAP"
    assert entry.ip == "192.0.2.10"
    assert entry.object_type.model == "user"
    assert entry.object_id == str(user.pk)
    assert (entry.before["language"], entry.after["language"]) == ("fr", "nl")
    assert entry.at.tzinfo is not None


def test_snapshot_never_keeps_a_password_hash():
    user = UserFactory()

    assert "password" not in audit.snapshot(user)


def test_system_actor_is_named_after_its_command(system_actor):
    entry = audit.record(system_actor, "import", None, after={"rows": 3})

    assert (entry.actor, entry.actor_role, entry.ip) == ("tests", "system", None)
    assert entry.after == {"rows": 3}


@pytest.mark.parametrize(("behind_proxy", "expected"), [(False, "10.0.0.2"), (True, "203.0.113.5")])
def test_the_client_address_comes_from_the_proxy_only_when_one_is_declared(
    settings, behind_proxy, expected
):
    settings.BEHIND_PROXY = behind_proxy
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.66, 203.0.113.5"
    )

    assert audit.client_ip(request) == expected


def test_a_change_is_recorded_with_the_row_before_and_after_it(system_actor):
    user = UserFactory(language="fr")

    with audit.change(system_actor, "user_language_set", user):
        user.language = "nl"
        user.save(update_fields=["language"])

    entry = AuditRecord.objects.get()
    assert (entry.action, entry.object_id) == ("user_language_set", str(user.pk))
    assert (entry.before["language"], entry.after["language"]) == ("fr", "nl")


def test_a_change_that_fails_records_nothing(system_actor):
    user = UserFactory(language="fr")

    def refused_change():
        with audit.change(system_actor, "user_language_set", user):
            user.language = "nl"
            raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        refused_change()

    assert not AuditRecord.objects.exists()
