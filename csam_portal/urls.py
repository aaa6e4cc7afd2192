from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _

from csam_portal import views

admin.site.site_header = _("CSAM – Back office")
admin.site.site_title = _("CSAM – Back office")
admin.site.index_title = _("Administration")

handler500 = "csam_portal.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("access-management/", views.access_management, name="access_management"),
    path("access-management/guide/", views.guide, name="guide"),
    path("contact/", views.contact, name="contact"),
    path("contact/sent/", views.contact_sent, name="contact_sent"),
    path("cookies/", views.cookies, name="cookies"),
    path("cookies/accept/", views.cookies_accept, name="cookies_accept"),
    path("language/", views.language_set, name="language_set"),
    path("logout/", views.logout, name="logout"),
    path("health/", views.health, name="health"),
    # Services that later flows build: each shows "not yet available" in the portal's look.
    path("digital-keys/", views.upcoming, {"feature": "digital_keys"}, name="digital_keys"),
    path("login/", views.upcoming, {"feature": "login"}, name="login"),
    path("gap/designate/", views.upcoming, {"feature": "gap_designate"}, name="gap_designate"),
    path(
        "gap/exceptional/", views.upcoming, {"feature": "gap_exceptional"}, name="gap_exceptional"
    ),
    path(
        "access-managers/", views.upcoming, {"feature": "access_managers"}, name="access_managers"
    ),
    path(
        "social-security/",
        views.upcoming,
        {"feature": "access_management"},
        name="social_security",
    ),
    path("mandates/", views.upcoming, {"feature": "mandates"}, name="mandates"),
    path("admin/", admin.site.urls),
]
