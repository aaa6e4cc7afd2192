from django.urls import path

from access_managers import views

app_name = "access_managers"

urlpatterns = [
    path("gap/designate/", views.gap_designate, name="gap_designate"),
    path("gap/designate/<slug:step>/", views.gap_designate, name="gap_designate_step"),
    path("gap/designated/", views.gap_designated, name="gap_designated"),
    path("access-managers/", views.enterprise_list, name="enterprise_list"),
    path("access-managers/<str:number>/", views.enterprise_detail, name="enterprise"),
    path("access-managers/<str:number>/co-gaps/add/", views.co_gap_add, name="co_gap_add"),
    path(
        "access-managers/<str:number>/co-gaps/<int:term_id>/remove/",
        views.co_gap_remove,
        name="co_gap_remove",
    ),
]
