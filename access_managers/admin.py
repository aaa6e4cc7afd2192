from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from stdnum.be import vat

from access_managers.models import AccessManager, ExceptionalRequest, Registration
from access_managers.services import exceptional_requests
from csam_portal.core.admin import ReadOnlyAdmin
from csam_portal.core.audit import Actor
from users.roles import Role


class EnterpriseRowsAdmin(ReadOnlyAdmin):
    """Rows shown with their enterprise's name: the names come in one query for the page.
    (The change list leaves `list_select_related` out once the queryset joins anything.)"""

    list_select_related: list[str] = []

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("enterprise", *self.list_select_related)
            .prefetch_related("enterprise__denominations")
        )


@admin.register(Registration)
class RegistrationAdmin(EnterpriseRowsAdmin):
    """Registrations happen through the designation services, never by hand."""

    list_display = ["enterprise", "registered_at", "registered_by", "procedure"]
    list_filter = ["procedure", "registered_at"]
    search_fields = ["=enterprise__number", "enterprise__denominations__value"]
    list_select_related = ["registered_by"]
    date_hierarchy = "registered_at"


@admin.register(AccessManager)
class AccessManagerAdmin(EnterpriseRowsAdmin):
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


# A refusal of the designation service, said to the back office rather than to the requester.
STAFF_REASONS = {
    "not_legal_representative": _(
        "le demandeur n'est plus représentant légal de l'entreprise selon la Banque-Carrefour "
        "des Entreprises : rejetez la demande."
    ),
    "enterprise_not_active": _(
        "l'entreprise n'est plus active dans la Banque-Carrefour des Entreprises : rejetez la "
        "demande."
    ),
    "already_registered": _(
        "le Gestionnaire d'Accès Principal de l'entreprise a changé depuis la demande : "
        "rejetez-la, le demandeur peut en introduire une nouvelle."
    ),
    "already_gap": _(
        "cette personne est déjà Gestionnaire d'Accès Principal de l'entreprise : rejetez la "
        "demande."
    ),
}


ONE_SCAN_AT_A_TIME = _(
    "Un scan ne peut être joint qu'à une seule demande à la fois : rien n'a changé."
)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du rejet (envoyé au demandeur)"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        max_length=2000,
    )


class ScanForm(forms.Form):
    scan = forms.FileField(label=_("Document reçu (scan, facultatif)"), required=False)

    def clean_scan(self):
        scan = self.cleaned_data["scan"]
        max_mb = settings.EXCEPTIONAL_SCAN_MAX_MB
        if scan and scan.size > max_mb * 1024 * 1024:
            raise ValidationError(
                _("Le scan dépasse %(max_mb)s Mo : réduisez-le (par exemple en noir et blanc)."),
                code="scan_too_large",
                params={"max_mb": max_mb},
            )
        return scan


@admin.register(ExceptionalRequest)
class ExceptionalRequestAdmin(EnterpriseRowsAdmin):
    """Exceptional requests (flows.md §2, 5): staff receive the signed paper, then approve (the
    GAP is designated by the standard procedure's service) or reject (the reason is e-mailed).
    Each action goes through a service: audit record, e-mails, processed only once."""

    list_display = [
        "ticket",
        "enterprise",
        "requester",
        "gap",
        "status",
        "created_at",
        "received_at",
        "decided_at",
        "document",
    ]
    list_filter = ["status", "created_at", "decided_at"]
    search_fields = [
        "=ticket",
        "=enterprise__number",
        "enterprise__denominations__value",
        "requester__last_name",
    ]
    list_select_related = ["requester", "gap"]
    date_hierarchy = "created_at"
    exclude = ["seen_gap", "request_token", "scan"]
    readonly_fields = ["received_scan"]
    actions = ["receive", "approve", "reject"]

    def get_urls(self):
        scan = self.admin_site.admin_view(self.scan_view)
        return [
            path("<int:pk>/scan/", scan, name="access_managers_exceptionalrequest_scan"),
            *super().get_urls(),
        ]

    def scan_view(self, request, pk):
        """The received scan, for staff who may see requests (media files are not served)."""
        exceptional = get_object_or_404(ExceptionalRequest, pk=pk)
        if not self.has_view_permission(request, exceptional) or not exceptional.scan:
            raise Http404
        return FileResponse(exceptional.scan.open("rb"), as_attachment=True)

    @admin.display(description=_("document reçu (scan)"))
    def received_scan(self, obj):
        if not obj.scan:
            return "–"
        url = reverse("admin:access_managers_exceptionalrequest_scan", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.scan.name.rsplit("/", 1)[-1])

    def get_search_results(self, request, queryset, search_term):
        # An enterprise number as people write it (0200.000.043, BE 0200 000 043) is the number.
        compact = vat.compact(search_term) if search_term else ""
        if compact.isdigit() and len(compact) == 10:
            return queryset.filter(enterprise_id=compact), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("document"))
    def document(self, obj):
        url = reverse("access_managers:exceptional_document", args=[obj.ticket])
        return format_html('<a href="{}">{}</a>', url, _("PDF"))

    def has_process_permission(self, request):
        return request.user.has_perm("access_managers.change_exceptionalrequest")

    def _each(self, request, queryset, service, done_message, **kwargs):
        actor = Actor.from_request(request, role=Role.STAFF)
        done = 0
        for exceptional in queryset:
            try:
                service(exceptional=exceptional, actor=actor, **kwargs)
            except ValidationError as error:
                reason = STAFF_REASONS.get(error.code) or " ".join(error.messages)
                self.message_user(request, f"{exceptional.ticket} : {reason}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Document signé reçu"), permissions=["process"])
    def receive(self, request, queryset):
        form = ScanForm(request.POST, request.FILES) if "apply" in request.POST else ScanForm()
        if "apply" in request.POST and form.is_valid():
            scan = form.cleaned_data["scan"]
            if scan and queryset.count() > 1:
                self.message_user(
                    request,
                    ONE_SCAN_AT_A_TIME,
                    messages.ERROR,
                )
                return None
            self._each(
                request,
                queryset,
                exceptional_requests.exceptional_request_receive,
                _("%(count)s demande(s) : document signé reçu."),
                scan=scan,
            )
            return None
        return self._intermediate(request, queryset, "receive", form, _("Document signé reçu"))

    @admin.action(description=_("Approuver"), permissions=["process"])
    def approve(self, request, queryset):
        self._each(
            request,
            queryset,
            exceptional_requests.exceptional_request_approve,
            _("%(count)s demande(s) approuvée(s) : le Gestionnaire d'Accès Principal est désigné."),
        )

    @admin.action(description=_("Rejeter"), permissions=["process"])
    def reject(self, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._each(
                request,
                queryset,
                exceptional_requests.exceptional_request_reject,
                _("%(count)s demande(s) rejetée(s) : le demandeur en est informé par e-mail."),
                reason=form.cleaned_data["reason"],
            )
            return None
        return self._intermediate(request, queryset, "reject", form, _("Rejeter"))

    def _intermediate(self, request, queryset, action, form, title):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "queryset": queryset,
            "action": action,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "multipart": action == "receive",
        }
        return TemplateResponse(request, "admin/access_managers/exceptional_action.html", context)
