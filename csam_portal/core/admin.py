"""The bases of every ModelAdmin: input the admin would answer with a 500 is refused as Django
refuses the rest (CheckedInputAdminMixin), rows only services write (ReadOnlyAdmin), rows staff
edit by hand, audited (AuditedAdmin); and the back office's login form (AdminLoginForm)."""

from datetime import MAXYEAR, MINYEAR

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from csam_portal.core import audit
from csam_portal.core.audit import Actor


class CheckedChangeList(ChangeList):
    """Django's change list, where a filter value no date can hold gets the admin's usual answer
    to a bad filter (back to the list, «?e=1») instead of a 500.

    Django turns a filter's ValueError into that answer, but the date hierarchy computes its
    period outside its check (year 9999 has no next year; 999999999999999999 is an OverflowError)
    and a datetime of the year 1 overflows when the database driver converts it to UTC.
    """

    def get_filters(self, request):
        if self.date_hierarchy:
            year = self.filter_params.get(f"{self.date_hierarchy}__year")
            if year is not None and not _plausible_year(year[-1]):
                raise IncorrectLookupParameters(f"No period of the year {year[-1][:20]!r}.")
        return super().get_filters(request)

    def get_results(self, request):
        try:
            super().get_results(request)
        except OverflowError as error:  # raised converting a value, before the query is sent
            raise IncorrectLookupParameters(error) from error


def _plausible_year(value: str) -> bool:
    """A year whose whole period, and the day around it in UTC, are dates."""
    try:
        return MINYEAR < int(value) < MAXYEAR
    except ValueError:
        return False


class CheckedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, where a key its column cannot hold is an invalid choice: SQLite's driver raises
    OverflowError for an integer of 2**63 or more in the query that looks the choices up."""

    def clean(self, value):
        if isinstance(value, list | tuple):
            field = self.queryset.model._meta.get_field(
                self.to_field_name or self.queryset.model._meta.pk.name
            )
            for key in value:
                try:
                    field.run_validators(field.to_python(key))
                except ValidationError:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": key},
                    ) from None
        return super().clean(value)


class CheckedInputAdminMixin:
    """Every ModelAdmin of the site: a bad filter value or key in a form is refused as Django
    refuses the others, never a 500. The portal's admins inherit it; `check_every_admin()` gives
    it to those of Django and the libraries."""

    def get_changelist(self, request, **kwargs):
        return CheckedChangeList

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", CheckedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def check_every_admin(site: admin.AdminSite) -> None:
    """Register again, with CheckedInputAdminMixin, each ModelAdmin that lacks it (auth's groups:
    superusers see them). Called once every app registered its admins."""
    for model, model_admin in list(site._registry.items()):
        if not isinstance(model_admin, CheckedInputAdminMixin):
            admin_class = type(model_admin)
            checked = type(admin_class.__name__, (CheckedInputAdminMixin, admin_class), {})
            site.unregister(model)
            site.register(model, checked)


class AdminLoginForm(AdminAuthenticationForm):
    """Django's, refusing a username longer than any account's before it authenticates: Django
    only tells the browser the limit, and the login's throttle keys cannot hold more."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class ReadOnlyAdmin(CheckedInputAdminMixin, admin.ModelAdmin):
    """Rows written only by services: staff look, never add, edit or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdmin(CheckedInputAdminMixin, admin.ModelAdmin):
    """Staff edit these rows by hand: each save and delete leaves an audit record."""

    def save_model(self, request, obj, form, change):
        # Recorded once the links are saved too (save_related), so "after" is the whole change.
        obj._audit_before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        action = f"{obj._meta.model_name}_{'change' if change else 'create'}"
        actor = Actor.from_request(request, role=audit.STAFF_ROLE)
        audit.record(actor, action, obj, before=obj._audit_before, after=obj)

    def delete_model(self, request, obj):
        audit.record(
            Actor.from_request(request, role=audit.STAFF_ROLE),
            f"{obj._meta.model_name}_delete",
            obj,
            before=obj,
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
