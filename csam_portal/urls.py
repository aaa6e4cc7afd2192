from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from csam_portal.core.access import public
from csam_portal.public import views
from users.admin import StaffLoginForm
from users.views import fas

admin.site.site_header = _("CSAM – Back office")
admin.site.site_title = _("CSAM – Back office")
admin.site.index_title = _("Administration")
admin.site.login_form = StaffLoginForm

handler400 = "csam_portal.public.views.bad_request"
handler500 = "csam_portal.public.views.server_error"


def page(name: str):
    """A page of text that only shows a template: GET (and HEAD) only."""
    return public("a page of text for everyone")(
        TemplateView.as_view(template_name=f"csam_portal/{name}.html")
    )


urlpatterns = [
    path("", page("home"), name="home"),
    path("about/", page("about"), name="about"),
    path("access-management/", page("access_management"), name="access_management"),
    path("access-management/guide/", page("guide"), name="guide"),
    path("contact/", views.contact, name="contact"),
    path("contact/sent/", views.contact_sent, name="contact_sent"),
    path("cookies/", page("cookies"), name="cookies"),
    path("language/", views.language_set, name="language_set"),
    path("logout/", views.logout, name="logout"),
    path("health/", views.health, name="health"),
    path("favicon.ico", views.favicon),
    path("", include("users.urls")),
    path("", include("access_managers.urls")),
    path("oidc/authenticate/", fas.fas_login, name="oidc_authentication_init"),
    path("oidc/callback/", fas.fas_callback, name="oidc_authentication_callback"),
    # Services that later flows build: each shows "not yet available" in the portal's look.
    path("mandates/", views.upcoming, {"feature": "mandates"}, name="mandates"),
    path("admin/", admin.site.urls),
]
