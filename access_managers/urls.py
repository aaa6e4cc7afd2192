from django.urls import path

from access_managers import views

app_name = "access_managers"

urlpatterns = [
    path("gap/designate/", views.gap_designate, name="gap_designate"),
    path("gap/designate/<slug:step>/", views.gap_designate, name="gap_designate_step"),
    path("gap/designated/", views.gap_designated, name="gap_designated"),
    path("gap/exceptional/", views.gap_exceptional, name="gap_exceptional"),
    path("gap/exceptional/submitted/", views.exceptional_done, name="exceptional_done"),
    path("gap/exceptional/status/", views.exceptional_status, name="exceptional_status"),
    path(
        "gap/exceptional/<ticket:ticket>/document.pdf",
        views.exceptional_document,
        name="exceptional_document",
    ),
    path(
        "gap/exceptional/document/<signed:token>/",
        views.exceptional_document_link,
        name="exceptional_document_link",
    ),
    path("gap/exceptional/<slug:step>/", views.gap_exceptional, name="gap_exceptional_step"),
    path("access-managers/", views.enterprise_list, name="enterprise_list"),
    path("access-managers/<enterprise_number:number>/", views.enterprise_detail, name="enterprise"),
    path(
        "access-managers/<enterprise_number:number>/co-gaps/add/",
        views.co_gap_add,
        name="co_gap_add",
    ),
    path(
        "access-managers/<enterprise_number:number>/co-gaps/<int:term_id>/remove/",
        views.co_gap_remove,
        name="co_gap_remove",
    ),
]
