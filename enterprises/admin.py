from django.contrib import admin

from csam_portal.core.admin import AuditedAdmin, ReadOnlyAdmin
from enterprises.models import (
    Address,
    Denomination,
    Domain,
    Enterprise,
    LegalFunction,
    Quality,
    RegistryCode,
    RegistryExtract,
    SecuredApplication,
)


class DenominationInline(admin.TabularInline):
    model = Denomination
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


class AddressInline(DenominationInline):
    model = Address


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdmin):
    """The register is imported (import_kbo), never edited here."""

    list_display = ["number", "status", "juridical_form", "start_date", "removed_from_register_on"]
    list_filter = ["status", "juridical_form", "removed_from_register_on"]
    search_fields = ["=number", "denominations__value"]
    inlines = [DenominationInline, AddressInline]


@admin.register(LegalFunction)
class LegalFunctionAdmin(ReadOnlyAdmin):
    list_display = [
        "enterprise",
        "niss",
        "last_name",
        "first_name",
        "label_fr",
        "start_date",
        "end_date",
    ]
    search_fields = ["=enterprise__number", "=niss", "last_name"]
    list_select_related = ["enterprise"]


@admin.register(RegistryExtract)
class RegistryExtractAdmin(ReadOnlyAdmin):
    list_display = ["imported_at", "kind", "snapshot_date", "extract_number"]


@admin.register(RegistryCode)
class RegistryCodeAdmin(ReadOnlyAdmin):
    list_display = ["category", "code", "language", "description"]
    list_filter = ["category", "language"]


@admin.register(Domain)
class DomainAdmin(AuditedAdmin):
    list_display = ["code", "name_fr", "name_nl", "name_de", "name_en", "managed_in"]
    search_fields = ["code", "name_fr", "name_nl"]


@admin.register(Quality)
class QualityAdmin(AuditedAdmin):
    list_display = ["code", "name_fr", "identifier_fr", "identifier_pattern"]
    search_fields = ["code", "name_fr", "name_nl"]


@admin.register(SecuredApplication)
class SecuredApplicationAdmin(AuditedAdmin):
    list_display = ["code", "name_fr", "web", "ftp", "sftp", "web_service"]
    list_filter = ["qualities", "web", "ftp", "sftp", "web_service"]
    search_fields = ["code", "name_fr", "name_nl"]
    filter_horizontal = ["qualities"]
