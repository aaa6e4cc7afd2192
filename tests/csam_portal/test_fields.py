"""The shared form fields (csam_portal.core.fields): one set, used by every app's forms."""

import pytest
from django import forms

from access_managers.forms import CoGapAddForm, IdentityStepForm, ManagerStepForm
from csam_portal.core.fields import (
    EmailField,
    EnterpriseNumberField,
    NissField,
    NumberField,
    PhoneField,
)
from csam_portal.public.forms import ContactForm
from users.forms import EidForm, EmailKeyForm


def test_every_number_field_is_one_of_the_shared_set():
    fields = [
        ContactForm.base_fields["enterprise_number"],
        IdentityStepForm.base_fields["number"],
        IdentityStepForm.base_fields["niss"],
        EidForm.base_fields["niss"],
        ManagerStepForm.base_fields["phone"],
        CoGapAddForm.base_fields["phone"],
    ]

    assert {type(field) for field in fields} == {EnterpriseNumberField, NissField, PhoneField}
    assert all(isinstance(field, NumberField) for field in fields)


def test_every_email_field_gives_the_same_example():
    fields = [
        ContactForm().fields["email"],
        EmailKeyForm.base_fields["email"],
        ManagerStepForm.base_fields["requester_email"],
        CoGapAddForm.base_fields["email"],
    ]

    assert all(isinstance(field, EmailField) for field in fields)


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [
        (EnterpriseNumberField(), "0410.472.920", "0410472920"),
        (EnterpriseNumberField(), "BE 0410 472 920", "0410472920"),
        (NissField(), "80.03.15-102.82", "80031510282"),
        (PhoneField(), "02 512 34 56", "+3225123456"),
        (PhoneField(), "+32 2 512 34 56", "+3225123456"),
    ],
)
def test_a_number_is_stored_in_its_one_form(field, typed, stored):
    assert field.clean(typed) == stored


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        (EnterpriseNumberField(), "0410.472.921", "10 chiffres"),
        (NissField(), "80031510283", "11 chiffres"),
        (PhoneField(), "12", "Ce numéro de téléphone n'est pas valable."),
        (PhoneField(), "not a number", "Ce numéro de téléphone n'est pas valable."),
        (EmailField(), "a@b", "par exemple nom@entreprise.be"),
    ],
)
def test_what_is_no_such_number_gets_the_fields_message(field, typed, message):
    with pytest.raises(forms.ValidationError, match=message) as refused:
        field.clean(typed)

    assert [error.code for error in refused.value.error_list] == ["invalid"]


def test_an_optional_number_left_empty_is_empty():
    assert PhoneField(required=False).clean("") == ""


def test_the_input_says_its_purpose():
    rendered = PhoneField(autocomplete="off").widget.render("phone", "")

    assert 'type="tel"' in rendered
    assert 'autocomplete="off"' in rendered
