"""The `world`: an enterprise with one person per role of access.md that exists so far, and the
same roles in ANOTHER enterprise."""

from dataclasses import dataclass, field

import pytest

from access_managers.models import Registration
from csam_portal.core.audit import Actor
from tests.factories import (
    PASSWORD,
    AccessManagerFactory,
    EnterpriseFactory,
    LegalFunctionFactory,
    StaffUserFactory,
    UserFactory,
)


@dataclass
class World:
    enterprise: object
    other: object
    users: dict = field(default_factory=dict)

    def user(self, role: str):
        return self.users[role]

    def person(self, role: str):
        return self.users[role].person

    def actor(self, role: str) -> Actor:
        return Actor(user=self.users[role], role=role)

    def log_in(self, client, role: str) -> None:
        if role != "anon":
            client.force_login(self.users[role])


def _registered(enterprise, gap_user):
    Registration.objects.create(
        enterprise=enterprise, registered_by=gap_user.person, procedure="standard"
    )
    AccessManagerFactory(enterprise=enterprise, person=gap_user.person)


@pytest.fixture
def world(db):
    enterprise = EnterpriseFactory(name="Boulangerie Test")
    other = EnterpriseFactory(name="Autre Entreprise")
    world = World(enterprise=enterprise, other=other)
    for prefix, company in [("", enterprise), ("other_", other)]:
        lr, gap, co_gap = UserFactory(), UserFactory(), UserFactory()
        LegalFunctionFactory(enterprise=company, person=lr.person)
        _registered(company, gap)
        AccessManagerFactory(enterprise=company, person=co_gap.person, role="COGAP")
        world.users |= {f"{prefix}lr": lr, f"{prefix}gap": gap, f"{prefix}co_gap": co_gap}
    world.users["person"] = UserFactory()
    world.users["staff"] = StaffUserFactory()
    world.password = PASSWORD
    return world
