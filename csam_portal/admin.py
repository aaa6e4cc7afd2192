from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from csam_portal.core import outbox
from csam_portal.core.admin import ReadOnlyAdmin
from csam_portal.core.audit import Actor
from csam_portal.models import AuditRecord, ContactMessage, OutboundEmail
from csam_portal.public import services
from users.roles import Role


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
            emails=queryset, actor=Actor.from_request(request, role=Role.STAFF)
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
            messages=queryset, actor=Actor.from_request(request, role=Role.STAFF)
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
