from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from csam_portal.core.admin import AdminLoginForm, ReadOnlyAdmin
from csam_portal.core.audit import Actor
from users.models import AccountLock, Person, User
from users.roles import Role
from users.services import account_locks


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    """The national register is imported, never edited here."""

    list_display = ["niss", "last_name", "first_name", "birth_date", "language", "has_eid"]
    list_filter = ["language", "has_eid", "gender"]
    search_fields = ["=niss", "last_name", "first_name"]


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    """Accounts change through the portal's services (audited), not by hand."""

    list_display = [
        "__str__",
        "username",
        "email",
        "language",
        "is_staff",
        "is_active",
        "last_login",
    ]
    list_filter = ["is_staff", "is_active", "language", "groups"]
    search_fields = ["=person__niss", "person__last_name", "username", "email"]
    list_select_related = ["person"]
    exclude = ["password"]


class StaffLoginForm(AdminLoginForm):
    """The back office's login (/admin/): a lock (users.lockout) is said plainly."""

    def get_invalid_login_error(self):
        refusal = getattr(self.request, "login_refusal", None)
        if refusal is not None:
            return ValidationError(refusal.message, code="locked")
        return super().get_invalid_login_error()


class CurrentLockFilter(admin.SimpleListFilter):
    title = _("état")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", _("En cours")), ("no", _("Terminés ou levés"))]

    def queryset(self, request, queryset):
        current = {"lifted_at": None, "until__gt": timezone.now()}
        if self.value() == "yes":
            return queryset.filter(**current)
        if self.value() == "no":
            return queryset.exclude(**current)
        return queryset


@admin.register(AccountLock)
class AccountLockAdmin(ReadOnlyAdmin):
    """Accounts locked by their failed logins or their eID card; staff lift a lock (audited)."""

    list_display = ["__str__", "account", "reason", "failures", "locked_at", "until", "lifted_at"]
    list_filter = [CurrentLockFilter, "reason", "locked_at"]
    search_fields = ["=account", "user__username", "user__person__last_name"]
    list_select_related = ["user__person"]
    readonly_fields = [field.name for field in AccountLock._meta.fields]
    actions = ["lift"]

    def has_lift_permission(self, request):
        return request.user.has_perm("users.change_accountlock")

    @admin.action(description=_("Lever le blocage"), permissions=["lift"])
    def lift(self, request, queryset):
        count = account_locks.account_lock_lift(
            locks=queryset, actor=Actor.from_request(request, role=Role.STAFF)
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d blocage levé.",
                "%(count)d blocages levés.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
