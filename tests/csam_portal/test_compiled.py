"""CompiledQuery: the ORM's SQL compiled once, run with new values, with the ORM's answers."""

import datetime

import pytest
from django.db.models import F, Value
from django.db.models.functions import Concat

from csam_portal.core.compiled import CompiledQuery
from tests.factories import PersonFactory
from users.models import Person

pytestmark = pytest.mark.django_db


def _born_before(*, last_name, day):
    return (
        Person.objects.filter(last_name=last_name, birth_date__lt=day)
        .order_by("niss")
        .values_list("niss", "birth_date")
    )


def test_rows_are_the_orms_for_every_value_and_compile_once():
    early = PersonFactory(last_name="Peeters", birth_date=datetime.date(1960, 1, 1))
    late = PersonFactory(last_name="Peeters", birth_date=datetime.date(1990, 1, 1))
    PersonFactory(last_name="Janssens", birth_date=datetime.date(1960, 1, 1))
    builds = []

    def build(**values):
        builds.append(values)
        return _born_before(**values)

    query = CompiledQuery(build, text=("last_name",), dates=("day",))
    for name, day in [
        ("Peeters", datetime.date(1970, 1, 1)),
        ("Peeters", datetime.date(2000, 1, 1)),
        ("Janssens", datetime.date(1970, 1, 1)),
        ("Nobody", datetime.date(2000, 1, 1)),
    ]:
        assert query.rows(last_name=name, day=day) == list(_born_before(last_name=name, day=day))
    assert len(builds) == 1
    assert query.rows(last_name="Peeters", day=datetime.date(2000, 1, 1)) == [
        (early.niss, early.birth_date),
        (late.niss, late.birth_date),
    ]


def test_objects_are_instances_with_their_annotations():
    person = PersonFactory(first_name="Anne", last_name="Peeters")
    query = CompiledQuery(
        lambda *, niss: Person.objects.annotate(
            label=Concat(F("first_name"), Value(" "), F("last_name"))
        ).filter(niss=niss),
        text=("niss",),
    )

    [found] = query.objects(niss=person.niss)

    assert isinstance(found, Person)
    assert (found.pk, found.label) == (person.pk, "Anne Peeters")
    assert query.objects(niss="00000000000") == []


def test_a_value_the_orm_does_not_pass_as_a_parameter_is_refused():
    # `icontains` wraps the value in %…%: the sentinel is not a parameter of its own.
    query = CompiledQuery(
        lambda *, part: Person.objects.filter(last_name__icontains=part).values_list("niss"),
        text=("part",),
    )

    with pytest.raises(ValueError, match="did not become query parameters"):
        query.rows(part="eet")


def test_the_values_must_be_those_it_was_compiled_for():
    query = CompiledQuery(_born_before, text=("last_name",), dates=("day",))

    with pytest.raises(TypeError):
        query.rows(last_name="Peeters")


def _named(*, last_name, first, last):
    from csam_portal.core.compiled import ranked

    people = Person.objects.filter(last_name=last_name)
    return ranked(people, [F("niss").asc()], first=first, last=last).values_list(
        "niss", "page_total"
    )


@pytest.mark.parametrize(
    ("asked", "number", "shown"),
    [("1", 1, 0), ("2", 2, 3), ("3", 3, 6), ("4", 3, 6), ("x", 1, 0), (None, 1, 0), ("-2", 1, 0)],
)
def test_a_page_and_its_total_come_in_one_query(
    asked, number, shown, django_assert_max_num_queries
):
    from csam_portal.core.compiled import page_of

    people = sorted(PersonFactory.create_batch(7, last_name="Peeters"), key=lambda p: p.niss)
    PersonFactory(last_name="Janssens")
    query = CompiledQuery(_named, text=("last_name",), numbers=("first", "last"))

    with django_assert_max_num_queries(1 if asked != "4" else 3):
        page = page_of(query, asked, per_page=3, make=lambda row: row[0], last_name="Peeters")

    assert (page.number, page.paginator.count, page.paginator.num_pages) == (number, 7, 3)
    assert list(page) == [person.niss for person in people[shown : shown + 3]]


def test_an_empty_list_is_one_empty_page():
    from csam_portal.core.compiled import page_of

    query = CompiledQuery(_named, text=("last_name",), numbers=("first", "last"))

    page = page_of(query, "2", per_page=3, last_name="Nobody")

    assert (page.number, page.paginator.count, list(page)) == (1, 0, [])


def test_a_number_no_column_can_hold_finds_nothing_and_a_huge_page_is_the_last():
    from csam_portal.core.compiled import page_of

    PersonFactory.create_batch(4, last_name="Peeters")
    query = CompiledQuery(_named, text=("last_name",), numbers=("first", "last"))

    assert query.rows(last_name="Peeters", first=0, last=10**30) == []
    page = page_of(query, "9" * 40, per_page=3, last_name="Peeters")
    assert (page.number, len(page)) == (2, 1)
