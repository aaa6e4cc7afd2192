from django.urls import path

from access_managers.views import (
    co_gaps,
    designation,
    domain_managers,
    enterprises,
    exceptional,
    who_manages,
)

app_name = "access_managers"

urlpatterns = [
    path("gap/designate/", designation.gap_designate, name="gap_designate"),
    path("gap/designate/<slug:step>/", designation.gap_designate, name="gap_designate_step"),
    path("gap/designated/", designation.gap_designated, name="gap_designated"),
    path("gap/exceptional/", designation.gap_exceptional, name="gap_exceptional"),
    path("gap/exceptional/submitted/", exceptional.exceptional_done, name="exceptional_done"),
    path("gap/exceptional/status/", exceptional.exceptional_status, name="exceptional_status"),
    path(
        "gap/exceptional/<ticket:ticket>/document.pdf",
        exceptional.exceptional_document,
        name="exceptional_document",
    ),
    path(
        "gap/exceptional/document/<signed:token>/",
        exceptional.exceptional_document_link,
        name="exceptional_document_link",
    ),
    path("gap/exceptional/<slug:step>/", designation.gap_exceptional, name="gap_exceptional_step"),
    path("access-managers/", enterprises.enterprise_list, name="enterprise_list"),
    path(
        "access-managers/<enterprise_number:number>/",
        enterprises.enterprise_detail,
        name="enterprise",
    ),
    path(
        "access-managers/<enterprise_number:number>/co-gaps/add/",
        co_gaps.co_gap_add,
        name="co_gap_add",
    ),
    path(
        "access-managers/<enterprise_number:number>/co-gaps/<int:term_id>/remove/",
        co_gaps.co_gap_remove,
        name="co_gap_remove",
    ),
    # Issue 13, part 1: the GAs per domain, the GAP history, «Qui gère nos accès ?».
    path(
        "access-managers/<enterprise_number:number>/domains/<slug:domain>/add/",
        domain_managers.ga_add,
        name="ga_add",
    ),
    path(
        "access-managers/<enterprise_number:number>/gas/<int:term_id>/remove/",
        domain_managers.ga_remove,
        name="ga_remove",
    ),
    path(
        "access-managers/<enterprise_number:number>/gas/<int:term_id>/emails/add/",
        domain_managers.ga_email_add,
        name="ga_email_add",
    ),
    path(
        "access-managers/<enterprise_number:number>/emails/<int:email_id>/edit/",
        domain_managers.ga_email_edit,
        name="ga_email_edit",
    ),
    path(
        "access-managers/<enterprise_number:number>/emails/<int:email_id>/remove/",
        domain_managers.ga_email_remove,
        name="ga_email_remove",
    ),
    path(
        "access-managers/<enterprise_number:number>/history/",
        domain_managers.gap_history,
        name="gap_history",
    ),
    path(
        "access-managers/<enterprise_number:number>/who/",
        who_manages.who_manages,
        name="who_manages",
    ),
    path("who-manages/", who_manages.who_manages_list, name="who_manages_list"),
]
