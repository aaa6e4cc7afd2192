from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from csam_portal.core import backoffice
from csam_portal.models import AuditRecord, ContactMessage, OutboundEmail
from tests.factories import PASSWORD, StaffUserFactory
from users.models import User

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "admin:csam_portal_outboundemail_changelist",
    "admin:csam_portal_auditrecord_changelist",
    "admin:csam_portal_contactmessage_changelist",
    "admin:users_person_changelist",
    "admin:users_user_changelist",
]


def test_backoffice_group_exists_after_migrate_with_its_permissions():
    group = Group.objects.get(name=backoffice.GROUP_NAME)

    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == {code for codes in backoffice.permissions().values() for code in codes}


def test_the_group_takes_what_each_app_declares_for_the_back_office(monkeypatch):
    monkeypatch.setattr(apps.get_app_config("users"), "backoffice_permissions", ["view_person"])

    group = backoffice.sync_group()

    granted = group.permissions.filter(content_type__app_label="users")
    assert list(granted.values_list("codename", flat=True)) == ["view_person"]
    assert group.permissions.filter(content_type__app_label="enterprises").exists()


def test_create_backoffice_user_makes_staff_in_the_group_without_superuser_rights():
    out = StringIO()

    call_command("create_backoffice_user", "eranova", password=PASSWORD, stdout=out)

    user = User.objects.get(username="eranova")
    assert user.is_staff
    assert not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [backoffice.GROUP_NAME]
    assert user.check_password(PASSWORD)
    assert "Created back-office account 'eranova'" in out.getvalue()
    assert AuditRecord.objects.get().action == "backoffice_user_create"


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [("eranova", "1234", "trop court"), ("backoffice", PASSWORD, "déjà pris")],
)
def test_create_backoffice_user_refuses_a_weak_password_or_a_taken_name(
    username, password, message
):
    call_command("load_demo", stdout=StringIO())
    before = User.objects.count()

    with pytest.raises(CommandError, match=message):
        call_command("create_backoffice_user", username, password=password, stdout=StringIO())

    assert User.objects.count() == before


def test_load_demo_is_idempotent():
    first, second = StringIO(), StringIO()

    call_command("load_demo", stdout=first)
    call_command("load_demo", stdout=second)

    assert User.objects.filter(username="backoffice", is_staff=True).count() == 1
    assert "back-office account" in first.getvalue()
    assert "nothing new" in second.getvalue()


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_backoffice_staff_see_the_back_office_lists(client, staff, page):
    client.force_login(staff)

    assert client.get(reverse(page)).status_code == 200


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_staff_outside_the_group_are_refused(client, page):
    client.force_login(StaffUserFactory(groups=Group.objects.create(name="Other")))

    assert client.get(reverse(page)).status_code == 403


def test_outbox_and_audit_rows_cannot_be_edited_or_deleted_by_staff(client, staff, system_actor):
    from csam_portal.public.services import contact_message_create

    contact_message_create(
        name="A",
        email="a@example.be",
        enterprise_number="",
        subject="S",
        message="M",
        send_copy=True,
        language="fr",
        actor=system_actor,
    )
    email, record = OutboundEmail.objects.get(), AuditRecord.objects.get()
    client.force_login(staff)

    for model, pk in [("outboundemail", email.pk), ("auditrecord", record.pk)]:
        delete = client.post(
            reverse(f"admin:csam_portal_{model}_delete", args=[pk]), {"post": "yes"}
        )
        assert delete.status_code == 403
        change = client.post(reverse(f"admin:csam_portal_{model}_change", args=[pk]), {})
        assert change.status_code == 403
    assert OutboundEmail.objects.count() == AuditRecord.objects.count() == 1


def test_staff_close_a_question_through_the_admin_action(client, staff, system_actor):
    contact = ContactMessage.objects.create(
        name="A", email="a@example.be", subject="S", message="M", language="fr"
    )
    client.force_login(staff)

    response = client.post(
        reverse("admin:csam_portal_contactmessage_changelist"),
        {"action": "close", "_selected_action": [contact.pk]},
        follow=True,
    )

    assert "1 question marquée comme traitée." in response.content.decode()
    contact.refresh_from_db()
    assert contact.status == ContactMessage.Status.CLOSED
    record = AuditRecord.objects.get(action="contact_message_close")
    assert record.actor_user == staff
    assert record.actor_role == "staff"
