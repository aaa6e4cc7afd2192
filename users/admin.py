from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from users.models import Person, User


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["niss", "last_name", "first_name", "birth_date", "language", "has_eid"]
    list_filter = ["language", "has_eid", "gender"]
    search_fields = ["=niss", "last_name", "first_name"]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
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
    raw_id_fields = ["person"]
    readonly_fields = ["password", "last_login", "date_joined"]
    filter_horizontal = ["groups", "user_permissions"]
    fieldsets = [
        (None, {"fields": ["person", "username", "email", "language"]}),
        (
            _("Droits"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
