"""«Afficher la liste des utilisateurs en fonction des critères suivants» (flows.md §4): the
filters of a qualité's «Utilisateurs», on the membership table's own columns and indexes."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.db import connections
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Concat, Upper
from django.db.models.lookups import GreaterThanOrEqual, LessThan, StartsWith
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from access_managers import quality_user_selectors
from access_managers.models import (
    AccessManager,
    EnterpriseQuality,
    MembershipApplication,
    QualityMembership,
)

Role = AccessManager.Role
Status = QualityMembership.Status
USER = "USER"  # the «Type» of a user who is neither GL nor co-GL


_CODE_POINT_COLLATIONS = {"C", "C.UTF-8", "C.utf8", "POSIX", "ucs_basic"}
_collations: dict[str, bool] = {}


def code_point_collation(alias: str) -> bool:
    """Whether the database `alias` orders text by code point (PostgreSQL's C, C.UTF-8), so that
    every text beginning with a prefix lies between it and it + U+10FFFF. Read once per
    process."""
    if alias not in _collations:
        connection = connections[alias]
        collation = ""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT datcollate FROM pg_database WHERE datname = current_database()"
                )
                collation = cursor.fetchone()[0]
        _collations[alias] = collation in _CODE_POINT_COLLATIONS
    return _collations[alias]


# «Afficher la liste des utilisateurs en fonction des critères suivants» ------------------------


class NissPrefixField(forms.CharField):
    """The beginning of a NISS, with or without its dots, dashes and spaces: its digits."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def clean(self, value) -> str:
        value = super().clean(value)
        digits = re.sub(r"[\s./-]", "", value)
        if value and not digits.isdigit():
            raise forms.ValidationError(
                gettext("Un NISS ne contient que des chiffres (points et tirets admis)."),
                code="invalid",
            )
        return digits


class NissPrefixFilter(django_filters.CharFilter):
    field_class = NissPrefixField


class UserFilter(django_filters.FilterSet):
    """The filters of «Utilisateurs»: names and username (those the membership keeps,
    models/qualities.py) by their beginning, any case; the NISS by its beginning, written with
    or without dots, dashes and spaces. `queryset` is the qualité's current memberships
    (quality_user_selectors.quality_members)."""

    last_name = django_filters.CharFilter(
        label=_("Nom"), field_name="last_name", method="filter_prefix", max_length=100
    )
    first_name = django_filters.CharFilter(
        label=_("Prénom"), field_name="first_name", method="filter_prefix", max_length=100
    )
    username = django_filters.CharFilter(
        label=_("Nom d'utilisateur"), field_name="username", method="filter_prefix", max_length=150
    )
    type = django_filters.ChoiceFilter(
        label=_("Type"),
        choices=[(Role.GL, _("GL")), (Role.CO_GL, _("Co-GL")), (USER, _("USER"))],
        method="filter_type",
        empty_label=_("Tous"),
    )
    niss = NissPrefixFilter(label=_("NISS"), field_name="person_id", method="filter_niss")
    status = django_filters.ChoiceFilter(
        label=_("Statut"), choices=Status.choices, empty_label=_("Tous")
    )
    application = django_filters.ChoiceFilter(
        label=_("Applications sécurisées"),
        choices=[],
        method="filter_application",
        empty_label=_("Toutes"),
    )

    def __init__(self, *args, quality: EnterpriseQuality, **kwargs):
        super().__init__(*args, **kwargs)
        # The qualité's applications read once, as a list (a model choice field would read them
        # through a server-side cursor on PostgreSQL, four round trips, when validating and
        # again when the select is drawn), by a compiled query. Chosen by code, filtered by key.
        offered = quality_user_selectors.application_choices(quality=quality)
        self._application_ids = {code: pk for pk, code, _name in offered}
        self.filters["application"].extra["choices"] = [(code, name) for _pk, code, name in offered]
        for field in self.form.fields.values():
            field.widget.attrs.setdefault("autocomplete", "off")
        for name in ("last_name", "first_name", "username", "niss"):
            self.form.fields[name].widget.attrs["class"] = "form-control"
        for name in ("type", "status", "application"):
            self.form.fields[name].widget.attrs["class"] = "form-select"
        self.form.fields["niss"].widget.attrs["inputmode"] = "numeric"

    def filter_prefix(self, queryset, name, value):
        """The names (or the username) that begin with `value`, any case. Where the database
        orders text by code point, as the range of the index's keys that begin so: PostgreSQL
        then seeks in the index (a LIKE reads every key of the qualité, 20–90 ms at 100,000).
        In that order the range is exactly the keys that begin with `value` (a key continuing
        with U+10FFFF aside, a noncharacter no name holds), so no LIKE is checked on each."""
        if not code_point_collation(queryset.db):
            return queryset.filter(**{f"{name}__istartswith": value})
        key, start = Upper(name), Upper(Value(value))
        end = Concat(start, Value("\U0010ffff"))
        return queryset.filter(Q(GreaterThanOrEqual(key, start)) & Q(LessThan(key, end)))

    def filter_niss(self, queryset, name, value):
        """The NISS that begin with `value` (digits), on the membership's own column (no join
        to the persons); where text is ordered by code point, as the range of the qualité's
        NISS index that begins so (a LIKE reads every key of the qualité), as for the names."""
        key = F(name)
        if not code_point_collation(queryset.db):
            return queryset.filter(StartsWith(key, Value(value)))
        end = Value(f"{value}\U0010ffff")
        return queryset.filter(Q(GreaterThanOrEqual(key, Value(value))) & Q(LessThan(key, end)))

    def filter_type(self, queryset, name, value):
        local = AccessManager.objects.filter(
            quality_id=OuterRef("quality_id"), person_id=OuterRef("person_id"), ended_at=None
        )
        if value == USER:
            return queryset.exclude(Exists(local.filter(role__in=[Role.GL, Role.CO_GL])))
        return queryset.filter(Exists(local.filter(role=value)))

    def filter_application(self, queryset, name, value):
        granted = MembershipApplication.objects.filter(
            membership=OuterRef("pk"), application_id=self._application_ids[value]
        )
        return queryset.filter(Exists(granted))
