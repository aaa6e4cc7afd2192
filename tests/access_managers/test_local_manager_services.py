"""The social security's services: qualités, the GL and the co-GLs of a qualité."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from access_managers.models import AccessManager, EnterpriseQuality, QualityMembership
from access_managers.services import local_managers, qualities
from csam_portal.core.audit import Actor
from csam_portal.models import AuditRecord, OutboundEmail
from enterprises.models import Quality, SecuredApplication
from tests.factories import PersonFactory, UserFactory
from tests.services import skip_or_fail
from users.models import User

pytestmark = pytest.mark.django_db


def _state():
    return (
        list(AccessManager.objects.order_by("pk").values_list("pk", "ended_at")),
        list(QualityMembership.objects.order_by("pk").values_list("pk", "ended_at", "email")),
        EnterpriseQuality.objects.count(),
        User.objects.count(),
        OutboundEmail.objects.count(),
        AuditRecord.objects.count(),
    )


def _name(service, world, person, *, actor="gap", **kwargs):
    quality = kwargs.pop("quality", world.qualities["EMPLOYEUR_ONSS"])
    return service(
        quality=quality,
        person=person,
        username=kwargs.pop("username", f"user{person.niss}"),
        email=kwargs.pop("email", "new@test.be"),
        local_email=kwargs.pop("local_email", ""),
        applications=kwargs.pop("applications", []),
        actor=world.actor(actor),
        **kwargs,
    )


def _gl(quality):
    return AccessManager.objects.get(quality=quality, role="GL", ended_at=None)


def test_gl_change_replaces_the_gl_who_stays_a_user_and_is_told(world):
    quality = world.qualities["EMPLOYEUR_ONSS"]
    old = _gl(quality)
    dimona = SecuredApplication.objects.get(code="DIMONA")
    person = PersonFactory()

    term = _name(local_managers.gl_change, world, person, applications=[dimona])

    old.refresh_from_db()
    assert old.ended_at is not None
    assert _gl(quality) == term
    assert term.designated_by_id == world.person("gap").niss
    assert QualityMembership.objects.filter(
        quality=quality, person=old.person, ended_at=None
    ).exists()
    membership = QualityMembership.objects.get(quality=quality, person=person, ended_at=None)
    assert membership.email == "new@test.be"
    assert list(membership.applications.values_list("code", flat=True)) == ["DIMONA"]
    assert User.objects.get(person=person).username == f"user{person.niss}"
    assert sorted(OutboundEmail.objects.values_list("recipient", "template")) == sorted(
        [
            ("new@test.be", "access_managers/local_manager_designated"),
            (old.email, "access_managers/gl_replaced"),
        ]
    )
    record = AuditRecord.objects.get(action="gl_change")
    assert record.before["gl"]["id"] == old.pk


def test_a_replaced_gl_keeps_their_membership_and_its_applications(world):
    quality = world.qualities["EMPLOYEUR_ONSS"]
    drs = SecuredApplication.objects.get(code="DRS")
    gl = world.person("gl")
    _name(local_managers.co_gl_add, world, PersonFactory())  # nothing to do with the GL
    _name(local_managers.gl_change, world, PersonFactory(), applications=[drs])
    first = _gl(quality).person
    membership = QualityMembership.objects.get(quality=quality, person=first, ended_at=None)

    _name(local_managers.gl_change, world, gl)

    membership.refresh_from_db()
    assert membership.ended_at is None
    assert list(membership.applications.values_list("code", flat=True)) == ["DRS"]


def test_a_co_gl_who_becomes_gl_is_no_longer_co_gl(world):
    quality = world.qualities["EMPLOYEUR_ONSS"]
    co_gl = world.person("co_gl")

    _name(local_managers.gl_change, world, co_gl)

    roles = AccessManager.objects.filter(quality=quality, person=co_gl, ended_at=None)
    assert list(roles.values_list("role", flat=True)) == ["GL"]
    assert AuditRecord.objects.get(action="gl_change").before["co_gl"]["role"] == "COGL"


def test_the_gl_is_not_named_gl_again(world):
    before = _state()

    with pytest.raises(ValidationError) as error:
        _name(local_managers.gl_change, world, world.person("gl"))

    assert error.value.code == "already_gl"
    assert _state() == before


@pytest.mark.parametrize("role", ["gl", "co_gl"])
def test_a_local_manager_is_not_added_as_co_gl(world, role):
    before = _state()

    with pytest.raises(ValidationError) as error:
        _name(local_managers.co_gl_add, world, world.person(role))

    assert error.value.code == "already_local_manager"
    assert _state() == before


def test_a_qualite_without_gl_gets_one_and_nobody_is_told_of_a_replacement(world):
    quality = EnterpriseQuality.objects.create(
        enterprise=world.enterprise,
        quality=Quality.objects.get(code="PRESTATAIRE_SERVICES_SOCIAUX"),
        identifier=world.enterprise.number,
        registered_by=world.person("gap"),
    )

    term = _name(local_managers.gl_change, world, PersonFactory(), quality=quality)

    assert _gl(quality) == term
    assert OutboundEmail.objects.get().template == "access_managers/local_manager_designated"


def test_an_application_of_another_qualite_is_refused(world):
    tr_fpp = SecuredApplication.objects.get(code="TR_FPP")  # not of «Action sociale»
    before = _state()

    with pytest.raises(ValidationError) as error:
        _name(
            local_managers.co_gl_add,
            world,
            PersonFactory(),
            quality=world.qualities["ACTION_SOCIALE"],
            applications=[tr_fpp],
        )

    assert error.value.code == "invalid_application"
    assert _state() == before


def test_an_account_keeps_its_username_and_a_taken_username_is_refused(world):
    user = UserFactory(username="has.one")
    _name(local_managers.co_gl_add, world, user.person, username="ignored")
    assert User.objects.get(pk=user.pk).username == "has.one"
    before = _state()

    with pytest.raises(ValidationError) as error:
        _name(local_managers.co_gl_add, world, PersonFactory(), username="has.one")

    assert error.value.code == "username_taken"
    assert _state() == before


@pytest.mark.parametrize("role", ["ga_fin", "gl", "co_gl", "lr", "other_gap"])
def test_only_the_gap_co_gaps_and_the_secu_ga_manage_local_managers(world, role):
    before = _state()

    with pytest.raises(ValidationError) as error:
        _name(local_managers.co_gl_add, world, PersonFactory(), actor=role)

    assert error.value.code == "not_allowed"
    assert _state() == before


@pytest.mark.parametrize("role", ["co_gap", "ga"])
def test_a_co_gap_and_the_secu_ga_add_co_gls(world, role):
    term = _name(local_managers.co_gl_add, world, PersonFactory(), actor=role)

    assert term.role == "COGL"
    assert AuditRecord.objects.get(action="co_gl_add").actor_role == role


def test_the_same_token_twice_names_once(world):
    first = _name(local_managers.co_gl_add, world, PersonFactory(), token="t1")
    before = _state()

    again = _name(local_managers.co_gl_add, world, PersonFactory(), token="t1")

    assert again == first
    assert _state() == before


def test_co_gls_remove_ends_their_terms_and_memberships_and_tells_them(world):
    quality = world.qualities["EMPLOYEUR_ONSS"]
    added = _name(local_managers.co_gl_add, world, PersonFactory(), email="b@test.be")
    co_gl = AccessManager.objects.get(quality=quality, person=world.person("co_gl"))
    OutboundEmail.objects.all().delete()

    local_managers.co_gls_remove(
        quality=quality, term_ids=[co_gl.pk, added.pk], actor=world.actor("gap")
    )

    assert not AccessManager.objects.filter(quality=quality, role="COGL", ended_at=None).exists()
    assert not QualityMembership.objects.filter(person=added.person, ended_at=None).exists()
    assert AuditRecord.objects.filter(action="co_gl_remove").count() == 2
    assert sorted(OutboundEmail.objects.values_list("recipient", flat=True)) == sorted(
        [co_gl.email, "b@test.be"]
    )


@pytest.mark.parametrize("who", ["gl", "other_co_gl"])
def test_co_gls_remove_refuses_what_is_not_a_co_gl_of_the_qualite(world, who):
    quality = world.qualities["EMPLOYEUR_ONSS"]
    term = AccessManager.objects.get(person=world.person(who), ended_at=None)
    co_gl = AccessManager.objects.get(quality=quality, role="COGL")
    before = _state()

    with pytest.raises(ValidationError) as error:
        local_managers.co_gls_remove(
            quality=quality, term_ids=[co_gl.pk, term.pk], actor=world.actor("gap")
        )

    assert error.value.code == "not_co_gl"
    assert _state() == before


def test_quality_register_normalises_and_checks_the_identifier(world):
    onss = Quality.objects.get(code="EMPLOYEUR_ONSS")

    registered = qualities.quality_register(
        enterprise=world.enterprise,
        quality=onss,
        identifier=" 7654321-12 ",
        actor=world.actor("gap"),
    )

    assert registered.identifier == "7654321-12"
    assert AuditRecord.objects.filter(action="quality_register").count() == 1


@pytest.mark.parametrize(
    ("identifier", "actor", "code"),
    [
        ("1234567", "gap", "invalid_identifier"),
        ("taken", "gap", "quality_taken"),
        ("7654321-12", "ga", "not_allowed"),
        ("7654321-12", "other_gap", "not_allowed"),
    ],
)
def test_quality_register_refusals_change_nothing(world, identifier, actor, code):
    if identifier == "taken":  # another enterprise's matricule
        identifier = world.other_qualities["EMPLOYEUR_ONSS"].identifier
    before = _state()

    with pytest.raises(ValidationError) as error:
        qualities.quality_register(
            enterprise=world.enterprise,
            quality=Quality.objects.get(code="EMPLOYEUR_ONSS"),
            identifier=identifier,
            actor=world.actor(actor),
        )

    assert error.value.code == code
    assert _state() == before


@pytest.mark.django_db(transaction=True)
def test_two_gaps_changing_the_gl_at_once_leave_one_gl():
    """Two real connections change the GL of one qualité at the same moment: the row lock
    orders them, the constraint holds; one GL, the other one's term ended."""
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: the race is decided by its row locks and constraints")
    from tests.factories import (
        AccessManagerFactory,
        EnterpriseQualityFactory,
        LocalManagerFactory,
    )

    quality = EnterpriseQualityFactory()
    gap, co_gap = UserFactory(), UserFactory()
    AccessManagerFactory(enterprise=quality.enterprise, person=gap.person)
    AccessManagerFactory(enterprise=quality.enterprise, person=co_gap.person, role="COGAP")
    LocalManagerFactory(enterprise=quality.enterprise, quality=quality)
    newcomers = {gap.pk: PersonFactory(), co_gap.pk: PersonFactory()}
    start = threading.Barrier(2)
    outcomes = []

    def change(user):
        try:
            start.wait(timeout=10)
            local_managers.gl_change(
                quality=quality,
                person=newcomers[user.pk],
                username=f"race{user.pk}",
                email="race@test.be",
                local_email="",
                applications=[],
                actor=Actor(user=user, role="GAP"),
            )
            outcomes.append("changed")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=change, args=(user,)) for user in (gap, co_gap)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes == ["changed", "changed"]
    terms = AccessManager.objects.filter(quality=quality, role="GL")
    assert terms.count() == 3
    assert terms.filter(ended_at=None).count() == 1
    assert QualityMembership.objects.filter(quality=quality, ended_at=None).count() == 3
    assert AuditRecord.objects.filter(action="gl_change").count() == 2
