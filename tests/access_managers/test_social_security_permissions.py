"""access.md's rows for the social security's qualités and local managers, against every role
(ANOTHER enterprise's, a GA of another domain and a GL of another qualité included)."""

import pytest
from django.urls import reverse

from access_managers.models import (
    AccessManager,
    EnterpriseQuality,
    MembershipApplication,
    QualityMembership,
)
from csam_portal.models import AuditRecord, OutboundEmail
from enterprises.models import Quality, SecuredApplication
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

GL_WIZARD = "gl_change_wizard-current_step"
CO_GL_WIZARD = "co_gl_add_wizard-current_step"


def _state():
    return (
        list(AccessManager.objects.order_by("pk").values_list("pk", "ended_at")),
        list(QualityMembership.objects.order_by("pk").values_list("pk", "ended_at")),
        EnterpriseQuality.objects.count(),
        OutboundEmail.objects.count(),
        AuditRecord.objects.count(),
    )


# fmt: off
# change the GL of Q, add / remove co-GLs of Q (Q: the enterprise's «Employeur ONSS»)
MANAGE_LOCAL_MANAGERS = [
    ("anon", 302), ("person", 404), ("lr", 403), ("gap", 200), ("co_gap", 200),
    ("ga", 200), ("ga_fin", 403), ("gl", 403), ("co_gl", 403), ("gl_other_quality", 403),
    ("user", 403), ("blocked_user", 404), ("staff", 403),
    ("other_lr", 404), ("other_gap", 404), ("other_co_gap", 404), ("other_ga", 404),
    ("other_gl", 404), ("other_co_gl", 404), ("other_user", 404),
]
# list the users of Q
LIST_USERS = [
    ("anon", 302), ("person", 404), ("lr", 403), ("gap", 200), ("co_gap", 200),
    ("ga", 200), ("ga_fin", 403), ("gl", 200), ("co_gl", 200), ("gl_other_quality", 403),
    ("user", 403), ("blocked_user", 404), ("staff", 403),
    ("other_lr", 404), ("other_gap", 404), ("other_co_gap", 404), ("other_ga", 404),
    ("other_gl", 404), ("other_co_gl", 404), ("other_user", 404),
]
# the RAE page and its «Liste des qualités»
RAE_PAGE = MANAGE_LOCAL_MANAGERS
# register a qualité of E
REGISTER_QUALITY = [
    ("anon", 302), ("person", 404), ("lr", 403), ("gap", 200), ("co_gap", 200),
    ("ga", 403), ("ga_fin", 403), ("gl", 403), ("co_gl", 403), ("gl_other_quality", 403),
    ("user", 403), ("blocked_user", 404), ("staff", 403),
    ("other_lr", 404), ("other_gap", 404), ("other_co_gap", 404), ("other_ga", 404),
    ("other_gl", 404), ("other_co_gl", 404), ("other_user", 404),
]
# the home: any logged-in person, on their own roles
HOME = [
    ("anon", 302), ("person", 200), ("lr", 200), ("gap", 200), ("ga_fin", 200), ("gl", 200),
    ("user", 200), ("other_gap", 200), ("staff", 403),
]
# fmt: on


@pytest.mark.parametrize(("role", "status"), HOME)
def test_open_the_social_security_home(client, world, role, status):
    world.log_in(client, role)

    assert client.get(reverse("access_managers:social_security")).status_code == status


@pytest.mark.parametrize(("role", "status"), RAE_PAGE)
def test_see_the_rae_page(client, world, role, status):
    world.log_in(client, role)

    response = client.get(reverse("access_managers:rae_page", args=[world.enterprise.number]))

    assert response.status_code == status


@pytest.mark.parametrize(("role", "status"), REGISTER_QUALITY)
def test_register_a_qualite(client, world, role, status):
    world.log_in(client, role)
    url = reverse("access_managers:quality_register", args=[world.enterprise.number])
    social = Quality.objects.get(code="PRESTATAIRE_SERVICES_SOCIAUX")
    before = _state()

    page = client.get(url)
    response = client.post(url, {"quality": social.pk, "identifier": world.enterprise.number})

    assert page.status_code == status
    if status == 200:
        assert response.status_code == 302
        assert EnterpriseQuality.objects.filter(quality=social).exists()
    else:
        assert response.status_code == status
        assert _state() == before


@pytest.mark.parametrize(("role", "status"), LIST_USERS)
def test_list_the_users_of_a_qualite(client, world, role, status):
    world.log_in(client, role)
    url = reverse("access_managers:quality_users", args=[world.qualities["EMPLOYEUR_ONSS"].pk])

    assert client.get(url).status_code == status


@pytest.mark.parametrize("action", ["gl_change", "co_gl_add"])
@pytest.mark.parametrize(("role", "status"), MANAGE_LOCAL_MANAGERS)
def test_change_the_gl_or_add_a_co_gl(client, world, role, status, action):
    world.log_in(client, role)
    quality = world.qualities["EMPLOYEUR_ONSS"]
    person = PersonFactory()
    wizard = GL_WIZARD if action == "gl_change" else CO_GL_WIZARD
    before = _state()

    entry = client.get(reverse(f"access_managers:{action}", args=[quality.pk]))
    start = client.post(
        reverse("access_managers:local_manager_start", args=[quality.pk]),
        {"action": action, "niss-niss": person.niss, wizard: "niss"},
    )
    details = client.post(
        reverse(f"access_managers:{action}_step", args=[quality.pk, "details"]),
        {wizard: "details", "details-username": f"u{person.niss}", "details-email": "a@b.be"},
    )

    if status == 200:
        assert entry.status_code == start.status_code == details.status_code == 302
        recap = client.get(details.url)
        token = recap.context["form"].initial["token"]
        client.post(details.url, {wizard: "recap", "recap-token": token})
        assert AccessManager.objects.filter(person=person, quality=quality, ended_at=None).exists()
    else:
        expected = status
        assert entry.status_code == start.status_code == details.status_code == expected
        assert _state() == before


@pytest.mark.parametrize(("role", "status"), LIST_USERS)
def test_remove_co_gls(client, world, role, status):
    """«Supprimer utilisateur(s)» on a co-GL: the page is the users' managers', the removal
    only theirs who manage the local managers (MANAGE_LOCAL_MANAGERS)."""
    world.log_in(client, role)
    quality = world.qualities["EMPLOYEUR_ONSS"]
    term = AccessManager.objects.get(quality=quality, role="COGL")
    membership = QualityMembership.objects.get(quality=quality, person=term.person, ended_at=None)
    url = reverse("access_managers:quality_users_action", args=[quality.pk])
    data = {"action": "delete", "user": [membership.pk]}
    before = _state()

    page = client.get(url, data)
    response = client.post(url, data)

    assert page.status_code == status
    term.refresh_from_db()
    if dict(MANAGE_LOCAL_MANAGERS)[role] == 200:
        assert response.status_code == 302
        assert term.ended_at is not None
    else:
        assert response.status_code == (302 if status == 200 else status)
        assert term.ended_at is None
        assert _state() == before


def _user_membership(world):
    return QualityMembership.objects.get(
        quality=world.qualities["EMPLOYEUR_ONSS"], person=world.person("user"), ended_at=None
    )


@pytest.mark.parametrize(("role", "status"), LIST_USERS)
def test_export_the_users_of_a_qualite(client, world, role, status):
    world.log_in(client, role)
    url = reverse(
        "access_managers:quality_users_export", args=[world.qualities["EMPLOYEUR_ONSS"].pk]
    )

    assert client.get(url).status_code == status


@pytest.mark.parametrize("action", ["block", "delete", "applications_add", "applications_remove"])
@pytest.mark.parametrize(("role", "status"), LIST_USERS)
def test_act_on_the_users_of_a_qualite(client, world, role, status, action):
    world.log_in(client, role)
    quality = world.qualities["EMPLOYEUR_ONSS"]
    target = _user_membership(world)
    application = SecuredApplication.objects.filter(qualities=quality.quality_id).first()
    if action == "applications_remove":
        MembershipApplication.objects.create(
            membership=target, application=application, granted_by=world.person("gl")
        )
    url = reverse("access_managers:quality_users_action", args=[quality.pk])
    data = {"action": action, "user": [target.pk], "applications": [application.pk]}
    before = (_state(), list(MembershipApplication.objects.values_list("pk", flat=True)))
    statuses = list(QualityMembership.objects.values_list("status", flat=True))

    page = client.get(url, {"action": action, "user": [target.pk]})
    response = client.post(url, data)

    assert page.status_code == status
    after = (_state(), list(MembershipApplication.objects.values_list("pk", flat=True)))
    if status == 200:
        assert response.status_code == 302
        assert (after, statuses) != (
            before,
            list(QualityMembership.objects.values_list("status", flat=True)),
        )
    else:
        assert response.status_code == status
        assert after == before
        assert statuses == list(QualityMembership.objects.values_list("status", flat=True))


@pytest.mark.parametrize(("role", "status"), LIST_USERS)
def test_see_and_change_one_user_of_a_qualite(client, world, role, status):
    world.log_in(client, role)
    quality = world.qualities["EMPLOYEUR_ONSS"]
    target = _user_membership(world)
    url = reverse("access_managers:quality_user", args=[quality.pk, target.pk])

    page = client.get(url)
    response = client.post(url, {"email": "x@example.be", "status": "active", "language": "fr"})

    assert page.status_code == status
    target.refresh_from_db()
    if status == 200:
        assert response.status_code == 302
        assert target.email == "x@example.be"
    else:
        assert response.status_code == status
        assert target.email != "x@example.be"


@pytest.mark.parametrize(("role", "status"), LIST_USERS)
def test_create_a_user_of_a_qualite(client, world, role, status):
    world.log_in(client, role)
    quality = world.qualities["EMPLOYEUR_ONSS"]
    person = PersonFactory()
    wizard = "user_add_wizard-current_step"
    before = _state()

    start = client.post(
        reverse("access_managers:local_manager_start", args=[quality.pk]),
        {"action": "user_add", "niss-niss": person.niss, wizard: "niss"},
    )
    details = client.post(
        reverse("access_managers:user_add_step", args=[quality.pk, "details"]),
        {
            wizard: "details",
            "details-username1": f"u{person.niss}",
            "details-username2": f"u{person.niss}",
            "details-password1": "Lange-Zin-42!",
            "details-password2": "Lange-Zin-42!",
            "details-language": "fr",
            "details-email": "a@b.be",
        },
    )

    if status == 200:
        assert start.status_code == details.status_code == 302
        recap = client.get(details.url)
        token = recap.context["form"].initial["token"]
        client.post(details.url, {wizard: "recap", "recap-token": token})
        assert QualityMembership.objects.filter(person=person, quality=quality).exists()
    else:
        assert start.status_code == details.status_code == status
        assert _state() == before


@pytest.mark.parametrize(("role", "status"), LIST_USERS)
def test_the_qualites_home_and_detail(client, world, role, status):
    world.log_in(client, role)
    quality = world.qualities["EMPLOYEUR_ONSS"]

    for name in ("quality_home", "quality_detail"):
        assert client.get(reverse(f"access_managers:{name}", args=[quality.pk])).status_code == (
            status
        )


@pytest.mark.parametrize(("role", "status"), LIST_USERS)
def test_change_the_qualites_contact_data(client, world, role, status):
    """«Consulter ou modifier le détail de la qualité»: its contact data are changed by those
    who manage its users (the row «create, block, … users of Q»), by nobody else."""
    world.log_in(client, role)
    quality = world.qualities["EMPLOYEUR_ONSS"]
    url = reverse("access_managers:quality_detail", args=[quality.pk])
    before = _state()

    response = client.post(url, {"email": "onss@pharma.be", "phone": "", "language": "fr"})

    quality.refresh_from_db()
    if status == 200:
        assert response.status_code == 302
        assert quality.contact_email == "onss@pharma.be"
    else:
        assert response.status_code == status
        assert quality.contact_email == ""
        assert _state() == before


def test_an_unknown_qualite_is_not_found(client, world):
    world.log_in(client, "gap")

    response = client.get(reverse("access_managers:quality_users", args=[999_999]))

    assert response.status_code == 404
