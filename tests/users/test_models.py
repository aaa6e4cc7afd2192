import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from tests.factories import PersonFactory, UserFactory, make_niss
from users.models import Person, User, validate_niss

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("niss", ["80031510282", "68450910708", "85413011092"])
def test_national_and_bis_numbers_of_the_demo_are_valid(niss):
    validate_niss(niss)


@pytest.mark.parametrize("niss", ["80031510283", "8003151028", "8003151028X", "80.03.15-102.82"])
def test_a_wrong_or_unnormalised_niss_is_refused(niss):
    with pytest.raises(ValidationError, match="11 chiffres"):
        validate_niss(niss)


def test_factory_numbers_pass_the_check():
    import datetime

    validate_niss(make_niss(datetime.date(2001, 2, 3), 17))
    person = PersonFactory()
    person.full_clean()


def test_an_account_is_keyed_by_the_niss_of_its_person():
    user = UserFactory()

    assert user.niss == user.person.niss
    assert User.objects.get(person__niss=user.niss) == user
    assert user.display_name == user.person.full_name
    assert Person.objects.get(niss=user.niss).account == user


def test_an_account_needs_a_niss_or_a_username():
    with pytest.raises(IntegrityError):
        User.objects.create(person=None, username=None)


def test_a_person_has_one_account_at_most():
    user = UserFactory()

    with pytest.raises(IntegrityError):
        User.objects.create(person=user.person)
