"""`roles_in`: what a person is in an enterprise, read in a pinned number of queries."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from access_managers.roles import Roles, roles_in
from enterprises.models import Domain
from tests.factories import (
    AccessManagerFactory,
    DomainManagerFactory,
    EnterpriseFactory,
    EnterpriseQualityFactory,
    LegalFunctionFactory,
    LocalManagerFactory,
    PersonFactory,
    QualityMembershipFactory,
)
from users.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise():
    return EnterpriseFactory()


def test_a_stranger_has_no_role(enterprise):
    roles = roles_in(niss=PersonFactory().niss, enterprise_number=enterprise.number)
    assert roles == Roles()
    assert not roles
    assert roles.actor_role is None


def test_nobody_without_a_niss_has_a_role_and_costs_no_query(enterprise, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert roles_in(niss=None, enterprise_number=enterprise.number) == Roles()


def test_every_role_is_read_in_one_query(enterprise, django_assert_num_queries):
    person = PersonFactory()
    LegalFunctionFactory(enterprise=enterprise, person=person)
    AccessManagerFactory(enterprise=enterprise, person=person, role="COGAP")
    DomainManagerFactory(enterprise=enterprise, person=person)
    DomainManagerFactory(
        enterprise=enterprise, person=person, domain=Domain.objects.get(code="MOB")
    )
    employer = EnterpriseQualityFactory(enterprise=enterprise)
    social = EnterpriseQualityFactory(enterprise=enterprise)
    staffed = EnterpriseQualityFactory(enterprise=enterprise)
    LocalManagerFactory(enterprise=enterprise, person=person, quality=employer)
    LocalManagerFactory(enterprise=enterprise, person=person, quality=social, role="COGL")
    QualityMembershipFactory(quality=staffed, person=person)

    with django_assert_num_queries(1):
        roles = roles_in(niss=person.niss, enterprise_number=enterprise.number)

    assert roles == Roles(
        is_lr=True,
        is_co_gap=True,
        ga_domains=frozenset({"FIN", "MOB"}),
        gl_qualities=frozenset({employer.pk}),
        co_gl_qualities=frozenset({social.pk}),
        # The GL and the co-GL are users of their qualités too, as the services make them.
        user_qualities=frozenset({employer.pk, social.pk, staffed.pk}),
    )
    assert roles.is_ga_of("FIN")
    assert not roles.is_ga_of("SECU")
    assert roles.is_local_manager_of(employer.pk)
    assert roles.is_local_manager_of(social.pk)
    assert not roles.is_local_manager_of(staffed.pk)
    assert roles.is_user_of(staffed.pk)
    assert roles.actor_role == Role.CO_GAP


def test_ended_terms_blocked_users_and_other_enterprises_give_no_role(enterprise):
    person = PersonFactory()
    other = EnterpriseFactory()
    ended = timezone.now() + datetime.timedelta(seconds=1)
    AccessManagerFactory(enterprise=enterprise, person=person, ended_at=ended)
    DomainManagerFactory(enterprise=enterprise, person=person, ended_at=ended)
    LocalManagerFactory(enterprise=enterprise, person=person, ended_at=ended)
    QualityMembershipFactory(
        quality=EnterpriseQualityFactory(enterprise=enterprise), person=person, status="blocked"
    )
    QualityMembershipFactory(
        quality=EnterpriseQualityFactory(enterprise=enterprise), person=person, ended_at=ended
    )
    LegalFunctionFactory(
        enterprise=enterprise, person=person, end_date=datetime.date.today() - datetime.timedelta(1)
    )
    AccessManagerFactory(enterprise=other, person=person)
    QualityMembershipFactory(quality=EnterpriseQualityFactory(enterprise=other), person=person)

    assert roles_in(niss=person.niss, enterprise_number=enterprise.number) == Roles()
    assert roles_in(niss=person.niss, enterprise_number=other.number).is_gap


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        (Roles(is_gap=True, is_lr=True), Role.GAP),
        (Roles(is_lr=True, ga_domains=frozenset({"FIN"})), Role.GA),
        (Roles(is_lr=True, gl_qualities=frozenset({1})), Role.GL),
        (Roles(co_gl_qualities=frozenset({1}), user_qualities=frozenset({2})), Role.CO_GL),
        (Roles(is_lr=True, user_qualities=frozenset({2})), Role.LR),
        (Roles(user_qualities=frozenset({2})), Role.USER),
    ],
)
def test_the_audit_records_the_widest_role(roles, expected):
    assert roles.actor_role == expected


@pytest.mark.parametrize(
    "second",
    [
        {"role": "GL"},  # a qualité has one GL
        {"role": "COGL", "same_person": True},  # nobody is GL and co-GL of one qualité
    ],
)
def test_the_database_refuses_a_second_local_term(enterprise, second):
    quality = EnterpriseQualityFactory(enterprise=enterprise)
    gl = LocalManagerFactory(enterprise=enterprise, quality=quality)
    person = gl.person if second.get("same_person") else PersonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        LocalManagerFactory(
            enterprise=enterprise, quality=quality, person=person, role=second["role"]
        )


def test_the_database_refuses_a_ga_twice_for_one_domain_but_not_for_two(enterprise):
    ga = DomainManagerFactory(enterprise=enterprise)
    DomainManagerFactory(
        enterprise=enterprise, person=ga.person, domain=Domain.objects.get(code="MOB")
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        DomainManagerFactory(enterprise=enterprise, person=ga.person)


@pytest.mark.parametrize(
    "place",
    [
        {"role": "GA"},  # a GA term names its domain
        {"role": "GL"},  # a GL term names its qualité
        {"role": "GAP", "domain": "FIN"},  # a GAP term is the whole enterprise's
    ],
)
def test_every_term_names_the_place_its_role_needs(enterprise, place):
    domain = Domain.objects.get(code=place["domain"]) if "domain" in place else None
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessManagerFactory(enterprise=enterprise, role=place["role"], domain=domain)


def test_the_core_spells_the_back_office_role_as_the_roles_do():
    from csam_portal.core.audit import STAFF_ROLE

    assert Role.STAFF == STAFF_ROLE
