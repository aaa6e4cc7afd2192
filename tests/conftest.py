"""Fixtures for every test, and the `world`: a fixed cast of people, one per role of
../shared/spec/access.md, in an enterprise and again in ANOTHER enterprise (as healthchecks'
`hc/test.py` gives every test an owner, a team member and a stranger).

`world.enterprise` is «Boulangerie Test», `world.other` «Autre Entreprise». Each has two qualités,
`world.qualities` / `world.other_qualities` by catalogue code: «Employeur ONSS» (EMPLOYEUR_ONSS,
with a matricule) and «Action sociale» (ACTION_SOCIALE, with the enterprise's number). In the
table, Q is the enterprise's «Employeur ONSS» qualité and Q' its «Action sociale» one; the same key
with the prefix `other_` is the same person's role in `world.other` (e.g. `other_gl`).

| key                | who they are in their enterprise                                    |
|--------------------|---------------------------------------------------------------------|
| `lr`               | legal representative (a legal function valid today), no designation |
| `gap`              | the GAP, who registered the enterprise (standard procedure)         |
| `co_gap`           | a co-GAP                                                            |
| `ga`               | GA of the domain SECU (social security: GL rights on every qualité) |
| `ga_fin`           | GA of the domain FIN (Finances)                                     |
| `gl`               | GL of Q                                                             |
| `co_gl`            | co-GL of Q                                                          |
| `gl_other_quality` | GL of Q' (the enterprise's other qualité)                           |
| `user`             | active user of Q                                                    |
| `blocked_user`     | blocked user of Q (no rights from it)                               |
| `person`           | logged in, no role in either enterprise (no prefix)                 |
| `staff`            | back office: staff in the «Back office» group, no NISS (no prefix)  |

`world.user(key)` is the account, `world.person(key)` its person, `world.actor(key)` an `Actor`
with the key as role, `world.log_in(client, key)` logs the client in ("anon": stays anonymous);
`world.password` is every account's password. tests/test_world.py checks the cast.
"""

from dataclasses import dataclass, field

import pytest
from django.utils import translation

from access_managers.models import QualityMembership
from csam_portal.core import outbox
from csam_portal.core.audit import Actor
from enterprises.models import Domain, Quality
from tests.factories import (
    PASSWORD,
    AccessManagerFactory,
    DomainManagerFactory,
    EnterpriseFactory,
    EnterpriseQualityFactory,
    LegalFunctionFactory,
    LocalManagerFactory,
    QualityMembershipFactory,
    StaffUserFactory,
    UserFactory,
)
from tests.helpers import ensure_catalogue, register


@pytest.fixture(autouse=True)
def _catalogue_after_a_flush(request):
    """A transactional test ends with a flush that empties the catalogue the migrations wrote
    (pytest-django runs those tests last): the next one finds it again."""
    marker = request.node.get_closest_marker("django_db")
    if (marker and marker.kwargs.get("transaction")) or "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        ensure_catalogue()


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


@dataclass
class World:
    """The cast of the module docstring: `users` maps each key to its account."""

    enterprise: object
    other: object
    qualities: dict = field(default_factory=dict)
    other_qualities: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    password: str = PASSWORD

    def user(self, role: str):
        return self.users[role]

    def person(self, role: str):
        return self.users[role].person

    def actor(self, role: str) -> Actor:
        return Actor(user=self.users[role], role=role)

    def log_in(self, client, role: str) -> None:
        if role != "anon":
            client.force_login(self.users[role])


def _cast(enterprise, domains: dict, qualities: dict) -> tuple[dict, dict]:
    """The enterprise's qualités by code, and its people by key (the table without prefix)."""
    lr, gap, co_gap, ga, ga_fin, gl, co_gl, gl_other_quality, user, blocked_user = (
        UserFactory.create_batch(10)
    )
    LegalFunctionFactory(enterprise=enterprise, person=lr.person)
    register(enterprise, gap)
    AccessManagerFactory(enterprise=enterprise, person=co_gap.person, role="COGAP")
    onss, social = (
        EnterpriseQualityFactory(
            enterprise=enterprise,
            quality=qualities["EMPLOYEUR_ONSS"],
            registered_by=gap.person,
        ),
        EnterpriseQualityFactory(
            enterprise=enterprise,
            quality=qualities["ACTION_SOCIALE"],
            identifier=enterprise.number,
            registered_by=gap.person,
        ),
    )
    for person, code in [(ga, "SECU"), (ga_fin, "FIN")]:
        DomainManagerFactory(
            enterprise=enterprise,
            person=person.person,
            domain=domains[code],
            designated_by=gap.person,
        )
    for person, role, quality in [(gl, "GL", onss), (co_gl, "COGL", onss)]:
        LocalManagerFactory(
            enterprise=enterprise,
            person=person.person,
            role=role,
            quality=quality,
            designated_by=ga.person,
        )
    LocalManagerFactory(
        enterprise=enterprise,
        person=gl_other_quality.person,
        quality=social,
        designated_by=ga.person,
    )
    for person, status in [(user, "active"), (blocked_user, QualityMembership.Status.BLOCKED)]:
        QualityMembershipFactory(
            quality=onss, person=person.person, status=status, designated_by=gl.person
        )
    people = {
        "lr": lr,
        "gap": gap,
        "co_gap": co_gap,
        "ga": ga,
        "ga_fin": ga_fin,
        "gl": gl,
        "co_gl": co_gl,
        "gl_other_quality": gl_other_quality,
        "user": user,
        "blocked_user": blocked_user,
    }
    return {"EMPLOYEUR_ONSS": onss, "ACTION_SOCIALE": social}, people


@pytest.fixture
def world(db):
    domains = Domain.objects.in_bulk(["SECU", "FIN"], field_name="code")
    qualities = Quality.objects.in_bulk(["EMPLOYEUR_ONSS", "ACTION_SOCIALE"], field_name="code")
    world = World(
        enterprise=EnterpriseFactory(name="Boulangerie Test"),
        other=EnterpriseFactory(name="Autre Entreprise"),
    )
    world.qualities, people = _cast(world.enterprise, domains, qualities)
    world.users |= people
    world.other_qualities, people = _cast(world.other, domains, qualities)
    world.users |= {f"other_{key}": user for key, user in people.items()}
    world.users["person"] = UserFactory()
    world.users["staff"] = StaffUserFactory()
    return world
