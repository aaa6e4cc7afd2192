"""The back office's lists of registrations, terms and exceptional requests."""

import pytest
from django.urls import reverse

from tests.factories import AccessManagerFactory, EnterpriseFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:access_managers_registration_changelist",
        "admin:access_managers_accessmanager_changelist",
        "admin:access_managers_exceptionalrequest_changelist",
    ],
)
def test_admin_lists_query_a_constant_number_of_times(
    client, changelist, django_assert_max_num_queries
):
    from access_managers.models import ExceptionalRequest, Registration
    from access_managers.services import exceptional_requests

    client.force_login(StaffUserFactory())

    def add_rows(count):
        for _ in range(count):
            term = AccessManagerFactory(enterprise=EnterpriseFactory())
            Registration.objects.create(
                enterprise=term.enterprise, registered_by=term.person, procedure="standard"
            )
            ExceptionalRequest.objects.create(
                ticket=exceptional_requests.ticket_new(),
                enterprise=term.enterprise,
                requester=term.person,
                requester_email="a@test.be",
                requester_phone="+3225123456",
                gap=term.person,
                gap_email="a@test.be",
                gap_phone="+3225123456",
                language="fr",
            )

    add_rows(1)
    url = reverse(changelist)
    client.get(url)
    with django_assert_max_num_queries(100) as few:
        assert client.get(url).status_code == 200
    add_rows(6)

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
