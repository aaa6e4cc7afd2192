"""A person's own addresses in a qualité («Données personnelles», flows.md §4): the page of
their membership, which also leads to the account's language and password (users' pages)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from access_managers import permissions, quality_forms
from access_managers.services import personal_data as personal_data_services
from csam_portal.core.access import guarded_by
from users.permissions import person_required


@guarded_by(permissions.membership_for_personal_data)
@never_cache
@person_required
@require_http_methods(["GET", "POST"])
def personal_data(request: HttpRequest, quality_id: int) -> HttpResponse:
    """«Données personnelles» in a qualité: the «Adresse e-mail utilisateur» and «Adresse e-mail
    locale» of the person's own membership, and the links to their language and password."""
    membership, actor = permissions.membership_for_personal_data(request, quality_id)
    data = request.POST if request.method == "POST" else None
    form = quality_forms.MembershipAddressesForm(data, membership=membership)
    if form.is_valid():
        try:
            personal_data_services.membership_addresses_set(
                membership=membership, actor=actor, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)  # nothing was written; the form says why
        else:
            messages.success(request, _("Vos données personnelles ont bien été enregistrées."))
            return redirect("access_managers:personal_data", quality_id=membership.quality_id)
    context = {"membership": membership, "quality": membership.quality, "form": form}
    return render(request, "access_managers/social_security/personal_data.html", context)
