from django.contrib import admin

from csam_portal.admin import ReadOnlyAdmin
from users.models import Person, User


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
