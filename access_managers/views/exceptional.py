"""The exceptional request once made: its «Finalisation» page, its document (by session or by
signed link) and the status page of a ticket (flows.md §2)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from access_managers import document_links, documents, forms, permissions
from access_managers.models import ExceptionalRequest
from access_managers.services import exceptional_requests
from access_managers.views.common import EXCEPTIONAL_SESSION_KEY, TICKETS_SESSION_KEY
from csam_portal.core.access import guarded_by, public
from csam_portal.core.audit import Actor, client_ip
from csam_portal.core.wizards import refuse


@public("access.md: an exceptional request needs no login; the page shows this session's own")
@never_cache
@require_GET
def exceptional_done(request: HttpRequest) -> HttpResponse:
    """«Finalisation de la demande»: the ticket, «Télécharger le document», where to send it."""
    done = request.session.get(EXCEPTIONAL_SESSION_KEY)
    if not done:
        return redirect("access_managers:gap_exceptional")
    exceptional = get_object_or_404(
        ExceptionalRequest.objects.select_related("gap"),
        pk=done["id"],
        ticket__in=request.session.get(TICKETS_SESSION_KEY, []),
    )
    context = {"exceptional": exceptional, **documents.return_instructions()}
    return render(request, "access_managers/exceptional_done.html", context)


@guarded_by(permissions.exceptional_request_for_document)
@never_cache
@require_GET
def exceptional_document(request: HttpRequest, ticket: str) -> HttpResponse:
    """The request's PDF, for the session that made it or back-office staff; others get 404."""
    exceptional, _actor = permissions.exceptional_request_for_document(
        request, ticket, session_tickets=request.session.get(TICKETS_SESSION_KEY, [])
    )
    return _document_response(exceptional)


@guarded_by(permissions.exceptional_request_for_document_link)
@never_cache
@require_GET
def exceptional_document_link(request: HttpRequest, token: str) -> HttpResponse:
    """The request's PDF by the signed link of its e-mails, in any browser. A link the portal
    did not make gets 404, one whose request was processed or expired 410: a page that says
    what to do instead."""
    try:
        exceptional, _actor = permissions.exceptional_request_for_document_link(request, token)
    except document_links.DocumentLinkRefused as refusal:
        context = {"reason": refusal.reason, "exceptional": refusal.exceptional}
        status = 404 if refusal.reason == "invalid" else 410
        return render(
            request, "access_managers/exceptional_document_refused.html", context, status=status
        )
    return _document_response(exceptional)


def _document_response(exceptional: ExceptionalRequest) -> HttpResponse:
    response = HttpResponse(
        documents.exceptional_request_pdf(exceptional), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="CSAM-{exceptional.ticket}.pdf"'
    return response


@public("access.md: whoever has a ticket and its enterprise number sees its status")
@never_cache
@require_http_methods(["GET", "POST"])
def exceptional_status(request: HttpRequest) -> HttpResponse:
    """The status of a ticket, for whoever has it and its enterprise number; nothing more.

    «Recevoir à nouveau le document» posts the ticket and number again, checked (and counted)
    as a look-up again, and e-mails the link to the requester's address on file."""
    data = request.POST if request.method == "POST" else None
    form = forms.TicketStatusForm(data)
    # Each look-up counts once, before validating; a refused one looks nothing up.
    if data is not None and not exceptional_requests.identity_lookup_record(ip=client_ip(request)):
        refuse(form, forms.too_many_lookups())
    exceptional = form.cleaned_data["request"] if form.is_valid() else None
    resent, resend_error = False, None
    if exceptional is not None and "resend" in request.POST:
        try:
            exceptional_requests.exceptional_document_resend(
                exceptional=exceptional, actor=Actor.from_request(request)
            )
        except ValidationError as error:
            resend_error = " ".join(error.messages)
        else:
            resent = True
    context = {
        "form": form,
        "exceptional": exceptional,
        "can_resend": exceptional is not None and exceptional.document_resendable,
        "resent": resent,
        "resend_error": resend_error,
    }
    return render(request, "access_managers/exceptional_status.html", context)
