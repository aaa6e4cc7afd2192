from django.contrib import admin

from access_managers.models import AccessManager, Registration
from csam_portal.admin import ReadOnlyAdmin


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    """Registrations happen through the designation services, never by hand."""

    list_display = ["enterprise", "registered_at", "registered_by", "procedure"]
    list_filter = ["procedure", "registered_at"]
    search_fields = ["=enterprise__number", "enterprise__denominations__value"]
    list_select_related = ["registered_by"]
    date_hierarchy = "registered_at"


@admin.register(AccessManager)
class AccessManagerAdmin(ReadOnlyAdmin):
    """Every GAP and co-GAP term, current and ended: the history per enterprise."""

    list_display = [
        "enterprise",
        "person",
        "role",
        "email",
        "started_at",
        "ended_at",
        "designated_by",
        "procedure",
    ]
    list_filter = ["role", "procedure", ("ended_at", admin.EmptyFieldListFilter), "started_at"]
    search_fields = ["=enterprise__number", "=person__niss", "person__last_name", "email"]
    list_select_related = ["person", "designated_by"]
    exclude = ["request_token"]
    date_hierarchy = "started_at"
