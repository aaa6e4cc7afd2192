"""The `world` of tests/conftest.py: each persona has exactly the roles its name says, in its
enterprise, and none in the other."""

import pytest

from access_managers.roles import Roles, roles_in

pytestmark = pytest.mark.django_db

PERSONAS = [
    "lr",
    "gap",
    "co_gap",
    "ga",
    "ga_fin",
    "gl",
    "co_gl",
    "gl_other_quality",
    "user",
    "blocked_user",
]


def _expected(key: str, qualities: dict) -> Roles:
    onss, social = qualities["EMPLOYEUR_ONSS"].pk, qualities["ACTION_SOCIALE"].pk
    return {
        "lr": Roles(is_lr=True),
        "gap": Roles(is_gap=True),
        "co_gap": Roles(is_co_gap=True),
        "ga": Roles(ga_domains=frozenset({"SECU"})),
        "ga_fin": Roles(ga_domains=frozenset({"FIN"})),
        # A GL or co-GL is a user of their qualité too, as the services make them.
        "gl": Roles(gl_qualities=frozenset({onss}), user_qualities=frozenset({onss})),
        "co_gl": Roles(co_gl_qualities=frozenset({onss}), user_qualities=frozenset({onss})),
        "gl_other_quality": Roles(
            gl_qualities=frozenset({social}), user_qualities=frozenset({social})
        ),
        "user": Roles(user_qualities=frozenset({onss})),
        "blocked_user": Roles(),  # a blocked user has no rights from the membership
    }[key]


def _roles(world, key: str, enterprise) -> Roles:
    user = world.user(key)
    niss = user.person.niss if user.person else None
    return roles_in(niss=niss, enterprise_number=enterprise.number)


@pytest.mark.parametrize("key", PERSONAS)
def test_each_persona_has_its_roles_in_its_enterprise_and_none_in_the_other(world, key):
    assert _roles(world, key, world.enterprise) == _expected(key, world.qualities)
    assert _roles(world, key, world.other) == Roles()


@pytest.mark.parametrize("key", PERSONAS)
def test_the_other_enterprise_has_the_same_cast(world, key):
    other_key = f"other_{key}"

    assert _roles(world, other_key, world.other) == _expected(key, world.other_qualities)
    assert _roles(world, other_key, world.enterprise) == Roles()


@pytest.mark.parametrize("key", ["person", "staff"])
def test_the_person_and_the_staff_have_no_role_in_either(world, key):
    assert _roles(world, key, world.enterprise) == Roles()
    assert _roles(world, key, world.other) == Roles()


def test_the_blocked_user_is_a_member_of_the_employer_quality(world):
    membership = world.person("blocked_user").qualitymembership_terms.get()

    assert membership.quality == world.qualities["EMPLOYEUR_ONSS"]
    assert membership.status == "blocked"


def test_each_enterprise_has_its_two_qualities(world):
    for enterprise, qualities in [
        (world.enterprise, world.qualities),
        (world.other, world.other_qualities),
    ]:
        assert sorted(q.quality.code for q in enterprise.qualities.all()) == sorted(qualities)
        assert {q.enterprise_id for q in qualities.values()} == {enterprise.number}


def test_every_key_is_a_distinct_person(world):
    people = [user.person_id for key, user in world.users.items() if key != "staff"]

    assert len(people) == len(set(people)) == 2 * len(PERSONAS) + 1
