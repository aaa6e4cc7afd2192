"""Factories valid by default: numbers pass their mod-97 checks."""

import datetime

import factory
from django.apps import apps
from django.contrib.auth.models import Group

from csam_portal.core import backoffice
from users.models import Person, SimulatedCard, User
from users.services import persons


def make_niss(birth_date: datetime.date, serial: int, *, month_offset: int = 0) -> str:
    """A national register number: yymmdd, a 3-digit serial, 97 - (number mod 97).

    `month_offset` 40 makes a BIS number (gender known).
    """
    base = f"{birth_date:%y}{birth_date.month + month_offset:02d}{birth_date:%d}{serial:03d}"
    prefix = "2" if birth_date.year >= 2000 else ""
    return f"{base}{97 - int(prefix + base) % 97:02d}"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ["niss"]

    birth_date = factory.Sequence(lambda n: datetime.date(1950, 1, 1) + datetime.timedelta(days=n))
    niss = factory.LazyAttributeSequence(
        lambda person, n: make_niss(person.birth_date, 1 + n % 997)
    )
    first_name = factory.Faker("first_name", locale="fr_BE")
    last_name = factory.Faker("last_name", locale="fr_BE")
    gender = Person.Gender.FEMALE
    language = "fr"
    has_eid = True


PASSWORD = "Demo-Passw0rd!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    person = factory.SubFactory(PersonFactory)
    email = factory.LazyAttribute(lambda user: f"{user.person.niss}@example.be")
    language = factory.LazyAttribute(lambda user: user.person.language)
    password = factory.django.Password(PASSWORD)


class StaffUserFactory(factory.django.DjangoModelFactory):
    """A member of the back office: staff, in the «Back office» group, no NISS."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    person = None
    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def groups(user, create, extracted, **kwargs):
        if create:
            user.groups.add(extracted or Group.objects.get(name=backoffice.GROUP_NAME))


def make_bis(birth_date: datetime.date, serial: int) -> str:
    """A BIS number (gender known): the month + 40, then as a national number."""
    return make_niss(birth_date, serial, month_offset=40)


class SimulatedCardFactory(factory.django.DjangoModelFactory):
    """A card whose PIN is "1234" unless told otherwise."""

    class Meta:
        model = SimulatedCard

    class Params:
        pin_code = "1234"

    person = factory.SubFactory(PersonFactory)
    kind = SimulatedCard.Kind.EID
    country = "BE"
    pin = factory.LazyAttribute(lambda card: persons.pin_digest(card.person, card.pin_code))


def make_enterprise_number(serial: int) -> str:
    """A 10-digit enterprise number: 0 + 7 digits, then 97 - (those 8 digits mod 97)."""
    base = 2_000_000 + serial
    return f"0{base:07d}{97 - base % 97:02d}"


class EnterpriseFactory(factory.django.DjangoModelFactory):
    """An active enterprise with its French official name and registered office."""

    class Meta:
        model = "enterprises.Enterprise"
        django_get_or_create = ["number"]
        skip_postgeneration_save = True

    number = factory.Sequence(make_enterprise_number)
    status = "AC"
    juridical_situation = "000"
    type_of_enterprise = "2"
    juridical_form = "014"
    start_date = datetime.date(2010, 1, 1)

    @factory.post_generation
    def name(enterprise, create, extracted, **kwargs):
        if create:
            enterprise.denominations.create(
                language="1", type="001", value=extracted or f"Entreprise {enterprise.number}"
            )
            enterprise.addresses.create(
                type_of_address="REGO",
                zipcode="1000",
                municipality_fr="Bruxelles",
                municipality_nl="Brussel",
                street_fr="Rue Royale",
                street_nl="Koningsstraat",
                house_number="1",
            )


class LegalFunctionFactory(factory.django.DjangoModelFactory):
    """A legal function valid today (no end date) of `person` in `enterprise`."""

    class Meta:
        model = "enterprises.LegalFunction"
        exclude = ["person"]

    enterprise = factory.SubFactory(EnterpriseFactory)
    person = factory.SubFactory(PersonFactory)
    niss = factory.SelfAttribute("person.niss")
    first_name = factory.SelfAttribute("person.first_name")
    last_name = factory.SelfAttribute("person.last_name")
    function_code = "10003"
    label_fr = "Gérant"
    label_nl = "Zaakvoerder"
    start_date = datetime.date(2015, 1, 1)
    end_date = None


class AccessManagerFactory(factory.django.DjangoModelFactory):
    """A current term (GAP unless told), designated by the person themself."""

    class Meta:
        model = "access_managers.AccessManager"

    enterprise = factory.SubFactory(EnterpriseFactory)
    person = factory.SubFactory(PersonFactory)
    role = "GAP"
    email = factory.LazyAttribute(lambda term: f"{term.person.niss}@gap.example")
    phone = "+3222000000"
    designated_by = factory.SelfAttribute("person")
    procedure = "standard"


class EnterpriseQualityFactory(factory.django.DjangoModelFactory):
    """A qualité of the enterprise: «Employeur ONSS» with a matricule unless told."""

    class Meta:
        model = "access_managers.EnterpriseQuality"

    enterprise = factory.SubFactory(EnterpriseFactory)
    quality = factory.LazyFunction(
        lambda: apps.get_model("enterprises", "Quality").objects.get(code="EMPLOYEUR_ONSS")
    )
    identifier = factory.Sequence(lambda n: f"{1000000 + n:07d}-{n % 100:02d}")
    registered_by = factory.SubFactory(PersonFactory)


class DomainManagerFactory(AccessManagerFactory):
    """A current GA term of one domain of the catalogue («Finances» unless told)."""

    role = "GA"
    domain = factory.LazyFunction(
        lambda: apps.get_model("enterprises", "Domain").objects.get(code="FIN")
    )


class LocalManagerFactory(AccessManagerFactory):
    """A current GL term (co-GL with role="COGL") of a qualité of the enterprise, who is also an
    active user of it, as the services make them."""

    class Meta:
        skip_postgeneration_save = True

    role = "GL"
    quality = factory.SubFactory(
        EnterpriseQualityFactory, enterprise=factory.SelfAttribute("..enterprise")
    )

    @factory.post_generation
    def membership(term, create, extracted, **kwargs):
        if create and term.ended_at is None:
            apps.get_model("access_managers", "QualityMembership").objects.get_or_create(
                quality=term.quality,
                person=term.person,
                ended_at=None,
                defaults={"designated_by": term.designated_by, "email": term.email},
            )


class QualityMembershipFactory(factory.django.DjangoModelFactory):
    """An active user of a qualité."""

    class Meta:
        model = "access_managers.QualityMembership"

    quality = factory.SubFactory(EnterpriseQualityFactory)
    person = factory.SubFactory(PersonFactory)
    designated_by = factory.SubFactory(PersonFactory)
