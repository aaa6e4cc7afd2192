from django.urls import path

from access_managers.views import (
    applications,
    co_gaps,
    designation,
    domain_managers,
    enterprises,
    exceptional,
    local_managers,
    personal_data,
    quality_users,
    social_security,
    user_actions,
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
        "access-managers/<enterprise_number:number>/co-gaps/",
        co_gaps.co_gap_list,
        name="co_gap_list",
    ),
    path(
        "access-managers/<enterprise_number:number>/co-gaps/add/",
        co_gaps.co_gap_add,
        name="co_gap_add",
    ),
    # Under the co-GAPs' list: the co-GAP tables link to it as that URL + "<id>/remove/", one URL
    # reversed per table (tests/access_managers/test_co_gaps.py follows the links).
    path(
        "access-managers/<enterprise_number:number>/co-gaps/<int:term_id>/remove/",
        co_gaps.co_gap_remove,
        name="co_gap_remove",
    ),
    # The social security's «Gestion des accès pour Entreprises et Organisations».
    path("social-security/", social_security.social_security, name="social_security"),
    path(
        "social-security/<enterprise_number:number>/",
        social_security.rae_page,
        name="rae_page",
    ),
    path(
        "social-security/<enterprise_number:number>/qualities/register/",
        social_security.quality_register,
        name="quality_register",
    ),
    # A qualité's users (flows.md §4).
    path(
        "social-security/qualities/<int:quality_id>/",
        quality_users.quality_home,
        name="quality_home",
    ),
    path(
        "social-security/qualities/<int:quality_id>/detail/",
        quality_users.quality_detail,
        name="quality_detail",
    ),
    path("social-security/users/search/", quality_users.users_search, name="users_search"),
    path(
        "social-security/qualities/<int:quality_id>/users/",
        quality_users.quality_users,
        name="quality_users",
    ),
    path(
        "social-security/qualities/<int:quality_id>/users/export.csv",
        quality_users.quality_users_export,
        name="quality_users_export",
    ),
    path(
        "social-security/qualities/<int:quality_id>/users/action/",
        user_actions.quality_users_action,
        name="quality_users_action",
    ),
    # The table's «Consulter / modifier» links are this URL with 0 cut off + "<id>/"
    # (access_managers/tables.py; tests/access_managers/test_quality_users.py follows them).
    path(
        "social-security/qualities/<int:quality_id>/users/<int:membership_id>/",
        user_actions.quality_user,
        name="quality_user",
    ),
    path(
        "social-security/qualities/<int:quality_id>/users/add/<slug:step>/",
        user_actions.user_add,
        name="user_add_step",
    ),
    path(
        "social-security/qualities/<int:quality_id>/local-managers/",
        local_managers.local_manager_start,
        name="local_manager_start",
    ),
    path(
        "social-security/qualities/<int:quality_id>/local-manager/change/",
        local_managers.gl_change,
        name="gl_change",
    ),
    path(
        "social-security/qualities/<int:quality_id>/local-manager/change/<slug:step>/",
        local_managers.gl_change,
        name="gl_change_step",
    ),
    path(
        "social-security/qualities/<int:quality_id>/co-local-managers/add/",
        local_managers.co_gl_add,
        name="co_gl_add",
    ),
    path(
        "social-security/qualities/<int:quality_id>/co-local-managers/add/<slug:step>/",
        local_managers.co_gl_add,
        name="co_gl_add_step",
    ),
    path(
        "social-security/qualities/<int:quality_id>/personal-data/",
        personal_data.personal_data,
        name="personal_data",
    ),
    # Issue 13, part 1: the GAs per domain, the GAP history, «Qui gère nos accès ?».
    path(
        "access-managers/<enterprise_number:number>/domains/<slug:domain>/",
        domain_managers.domain_detail,
        name="domain",
    ),
    # A domain's page and its «Ajouter» are under the enterprise's page: the enterprise's page
    # links to them as its URL + "domains/<code>/" (+ "add/"), reversing one URL for every
    # domain (tests/access_managers/test_domain_manager_pages.py checks the links).
    path(
        "access-managers/<enterprise_number:number>/domains/<slug:domain>/add/",
        domain_managers.ga_add,
        name="ga_add",
    ),
    # The GAs' and their addresses' actions too: a domain's page links to them as the
    # enterprise's URL + "gas/<id>/…" or "emails/<id>/…" (tests/access_managers/
    # test_domain_manager_pages.py follows every link).
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
    path("my-applications/", applications.my_applications, name="my_applications"),
]
