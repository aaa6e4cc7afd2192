"""«Données personnelles» in a qualité (flows.md §4, access.md's last row): a person's own
«Adresse e-mail utilisateur» and «Adresse e-mail locale» in a qualité they belong to."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from access_managers.models import AccessManager, QualityMembership
from access_managers.services import personal_data
from csam_portal.models import AuditRecord, OutboundEmail
from tests.factories import EnterpriseQualityFactory, QualityMembershipFactory
from tests.helpers import text

pytestmark = pytest.mark.django_db

NEW = {"email": "nouvelle@example.be", "local_email": "locale@example.be"}


def _url(quality) -> str:
    return reverse("access_managers:personal_data", args=[quality.pk])


def _membership(world, role, code="EMPLOYEUR_ONSS") -> QualityMembership:
    return QualityMembership.objects.get(
        person=world.person(role), quality=world.qualities[code], ended_at=None
    )


def _state():
    return (
        list(QualityMembership.objects.order_by("pk").values_list("pk", "email", "local_email")),
        list(AccessManager.objects.order_by("pk").values_list("pk", "email")),
        AuditRecord.objects.count(),
        OutboundEmail.objects.count(),
    )


# fmt: off
# own personal data in Q (the enterprise's «Employeur ONSS»): those who belong to it
OWN_ADDRESSES = [
    ("anon", 302), ("person", 404), ("lr", 404), ("gap", 404), ("co_gap", 404), ("ga", 404),
    ("ga_fin", 404), ("gl", 200), ("co_gl", 200), ("gl_other_quality", 404), ("user", 200),
    ("blocked_user", 200), ("staff", 403),
    ("other_lr", 404), ("other_gap", 404), ("other_co_gap", 404), ("other_ga", 404),
    ("other_gl", 404), ("other_co_gl", 404), ("other_user", 404),
]
# fmt: on


@pytest.mark.parametrize(("role", "status"), OWN_ADDRESSES)
def test_open_ones_own_addresses_in_a_qualite(client, world, role, status):
    world.log_in(client, role)

    response = client.get(_url(world.qualities["EMPLOYEUR_ONSS"]))

    assert response.status_code == status


@pytest.mark.parametrize(("role", "status"), OWN_ADDRESSES)
def test_change_ones_own_addresses_in_a_qualite(client, world, role, status):
    world.log_in(client, role)
    before = _state()

    response = client.post(_url(world.qualities["EMPLOYEUR_ONSS"]), NEW)

    assert response.status_code == (302 if status == 200 else status)
    if status != 200:
        assert _state() == before
    else:
        assert _membership(world, role).email == NEW["email"]


def test_anonymous_is_sent_to_the_login_page(client, world):
    url = _url(world.qualities["EMPLOYEUR_ONSS"])

    response = client.get(url)

    assert response.url == f"{reverse('users:login')}?next={url}"


@pytest.mark.parametrize("quality_id", ["0", "999999", "999999999999999999999999"])
def test_a_qualite_that_does_not_exist_is_not_found(client, world, quality_id):
    world.log_in(client, "user")

    response = client.get(f"/social-security/qualities/{quality_id}/personal-data/")

    assert response.status_code == 404


@pytest.mark.parametrize("garbage", ["abc", "-1", "1.5", "1e3", "٣", "１"])
def test_garbage_in_the_url_is_not_found(client, world, garbage):
    world.log_in(client, "user")

    response = client.get(f"/social-security/qualities/{garbage}/personal-data/")

    assert response.status_code == 404


def test_an_ended_membership_opens_nothing(client, world):
    membership = _membership(world, "user")
    membership.ended_at = timezone.now()
    membership.save()
    world.log_in(client, "user")

    assert client.get(_url(world.qualities["EMPLOYEUR_ONSS"])).status_code == 404


def test_the_page_shows_the_qualite_the_addresses_and_the_accounts_pages(client, world):
    membership = _membership(world, "user")
    membership.email, membership.local_email = "user@example.be", "eranova@example.be"
    membership.save()
    world.log_in(client, "user")

    response = client.get(_url(world.qualities["EMPLOYEUR_ONSS"]))

    page = text(response)
    assert "Boulangerie Test" in page
    assert "Employeur ONSS" in page
    assert world.qualities["EMPLOYEUR_ONSS"].identifier in page
    assert "Adresse e-mail utilisateur" in page
    assert "Adresse e-mail locale" in page
    assert "centre de contact Eranova" in page
    assert response.context["form"]["email"].value() == "user@example.be"
    assert response.context["form"]["local_email"].value() == "eranova@example.be"
    assert f'href="{reverse("users:personal_data")}"' in page
    assert f'href="{reverse("users:password_change")}"' in page


def test_a_user_changes_their_addresses_and_it_is_audited(client, world):
    membership = _membership(world, "user")
    world.log_in(client, "user")
    url = _url(world.qualities["EMPLOYEUR_ONSS"])

    response = client.post(url, NEW, follow=True)

    assert response.redirect_chain == [(url, 302)]
    assert "Vos données personnelles ont bien été enregistrées." in text(response)
    membership.refresh_from_db()
    assert (membership.email, membership.local_email) == (NEW["email"], NEW["local_email"])
    record = AuditRecord.objects.get()
    assert record.action == "membership_addresses_set"
    assert (record.actor_user, record.actor_role) == (world.user("user"), "USER")
    assert record.object_id == str(membership.pk)
    assert record.before["email"] != NEW["email"]
    assert (record.after["email"], record.after["local_email"]) == (
        NEW["email"],
        NEW["local_email"],
    )


def test_a_gls_term_address_follows_their_membership(client, world):
    term = AccessManager.objects.get(
        person=world.person("gl"), quality=world.qualities["EMPLOYEUR_ONSS"], ended_at=None
    )
    world.log_in(client, "gl")

    client.post(_url(world.qualities["EMPLOYEUR_ONSS"]), NEW)

    term.refresh_from_db()
    assert term.email == NEW["email"]
    actions = AuditRecord.objects.order_by("pk").values_list("action", "actor_role")
    assert list(actions) == [
        ("membership_addresses_set", "GL"),
        ("local_manager_email_set", "GL"),
    ]


def test_a_co_gl_is_recorded_as_co_gl(client, world):
    world.log_in(client, "co_gl")

    client.post(_url(world.qualities["EMPLOYEUR_ONSS"]), NEW)

    assert set(AuditRecord.objects.values_list("actor_role", flat=True)) == {"COGL"}


def test_only_the_qualite_in_the_url_changes(client, world):
    other = QualityMembershipFactory(
        quality=world.qualities["ACTION_SOCIALE"], person=world.person("user"), email="a@b.be"
    )
    world.log_in(client, "user")

    client.post(_url(world.qualities["EMPLOYEUR_ONSS"]), NEW)

    other.refresh_from_db()
    assert other.email == "a@b.be"


def test_nobody_changes_anothers_addresses(client, world):
    """The page is the logged-in person's own membership: the URL names only the qualité."""
    gl_membership = _membership(world, "gl")
    world.log_in(client, "user")

    client.post(_url(world.qualities["EMPLOYEUR_ONSS"]), NEW)

    gl_membership.refresh_from_db()
    assert gl_membership.email != NEW["email"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "nouvelle@", "local_email": ""}, "email"),
        ({"email": "", "local_email": "locale@example.be"}, "email"),
        ({"email": "nouvelle@example.be", "local_email": "pas une adresse"}, "local_email"),
    ],
)
def test_a_refused_form_says_why_and_changes_nothing(client, world, data, field):
    world.log_in(client, "user")
    before = _state()

    response = client.post(_url(world.qualities["EMPLOYEUR_ONSS"]), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert _state() == before


def test_the_local_address_may_be_left_empty(client, world):
    membership = _membership(world, "user")
    membership.local_email = "locale@example.be"
    membership.save()
    world.log_in(client, "user")

    client.post(_url(world.qualities["EMPLOYEUR_ONSS"]), {"email": "x@example.be"})

    membership.refresh_from_db()
    assert membership.local_email == ""


def test_saving_the_same_addresses_writes_nothing(client, world):
    membership = _membership(world, "user")
    world.log_in(client, "user")

    client.post(
        _url(world.qualities["EMPLOYEUR_ONSS"]),
        {"email": membership.email, "local_email": membership.local_email},
    )

    assert AuditRecord.objects.count() == 0


def test_a_membership_ended_meanwhile_is_not_changed(world):
    membership = _membership(world, "user")
    QualityMembership.objects.filter(pk=membership.pk).update(ended_at=timezone.now())
    before = _state()

    with pytest.raises(ValidationError, match="plus utilisateur de cette qualité") as refused:
        personal_data.membership_addresses_set(
            membership=membership, actor=world.actor("user"), **NEW
        )

    assert refused.value.code == "membership_ended"
    assert _state() == before


def test_my_applications_links_each_qualite_to_its_personal_data(client, world):
    world.log_in(client, "user")

    page = text(client.get(reverse("access_managers:my_applications")))

    assert f'href="{_url(world.qualities["EMPLOYEUR_ONSS"])}"' in page


def test_the_page_runs_the_same_queries_whatever_the_person_holds(
    client, world, django_assert_num_queries
):
    world.log_in(client, "user")
    url = _url(world.qualities["EMPLOYEUR_ONSS"])
    client.get(url)
    # the session, the account, the membership with its qualité, the roles
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200

    for quality in EnterpriseQualityFactory.create_batch(3, enterprise=world.enterprise):
        QualityMembershipFactory(quality=quality, person=world.person("user"))
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
