from datetime import MAXYEAR, MINYEAR

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from csam_portal import services
from csam_portal.core import audit, outbox
from csam_portal.core.audit import Actor
from csam_portal.models import AuditRecord, ContactMessage, OutboundEmail


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


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "recipient",
        "subject",
        "language",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["status", "language", "template", "created_at"]
    search_fields = ["recipient", "subject", "=key"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutboundEmail._meta.fields]
    actions = ["requeue"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if (
            obj is not None and obj.sensitive
        ):  # a security code is no one's business but its owner's
            return [field for field in fields if field not in {"body_text", "body_html"}]
        return fields

    def has_requeue_permission(self, request):
        # The rows are never edited by hand, but putting one back in the queue changes it.
        return request.user.has_perm("csam_portal.change_outboundemail")

    @admin.action(
        description=_("Renvoyer les e-mails en échec sélectionnés"), permissions=["requeue"]
    )
    def requeue(self, request, queryset):
        count = outbox.outbound_email_requeue(
            emails=queryset, actor=Actor.from_request(request, role="staff")
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail remis dans la file d'envoi.",
                "%(count)d e-mails remis dans la file d'envoi.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "actor_role", "action", "object_type", "object_repr", "ip"]
    list_filter = ["action", "actor_role", "object_type", "at"]
    search_fields = ["actor", "action", "object_repr", "=object_id", "=ip"]
    date_hierarchy = "at"
    list_select_related = ["object_type"]
    readonly_fields = [field.name for field in AuditRecord._meta.fields]


@admin.register(ContactMessage)
class ContactMessageAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "created_at",
        "name",
        "email",
        "enterprise_number",
        "subject",
        "status",
    ]
    list_filter = ["status", "language", "created_at"]
    search_fields = ["name", "email", "enterprise_number", "subject"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in ContactMessage._meta.fields]
    actions = ["close"]

    def has_close_permission(self, request):
        return request.user.has_perm("csam_portal.change_contactmessage")

    @admin.display(description=_("référence"))
    def reference(self, obj):
        return obj.reference

    @admin.action(description=_("Marquer comme traitées"), permissions=["close"])
    def close(self, request, queryset):
        count = services.contact_message_close(
            messages=queryset, actor=Actor.from_request(request, role="staff")
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d question marquée comme traitée.",
                "%(count)d questions marquées comme traitées.",
                count,
            )
            % {"count": count},
        )


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
        actor = Actor.from_request(request, role="staff")
        audit.record(actor, action, obj, before=obj._audit_before, after=obj)

    def delete_model(self, request, obj):
        audit.record(
            Actor.from_request(request, role="staff"),
            f"{obj._meta.model_name}_delete",
            obj,
            before=obj,
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
