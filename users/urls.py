from django.urls import path, re_path

from users import views

app_name = "users"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("login/eid/", views.login_eid, name="login_eid"),
    path("login/itsme/", views.login_itsme, name="login_itsme"),
    path("login/itsme/confirm/", views.login_itsme_confirm, name="login_itsme_confirm"),
    path("login/eidas/", views.login_eidas, name="login_eidas"),
    path("login/password/", views.login_password, name="login_password"),
    path("login/email/", views.login_email_code, name="login_email_code"),
    path("login/email/code/", views.login_email_code_code, name="login_email_code_code"),
    path("login/mobile-app/", views.login_totp, name="login_totp"),
    path("login/mobile-app/code/", views.login_totp_code, name="login_totp_code"),
    path("digital-keys/", views.digital_keys, name="digital_keys"),
    path("digital-keys/email/", views.email_key, name="email_key"),
    path("digital-keys/email/verify/", views.email_key_verify, name="email_key_verify"),
    path("digital-keys/mobile-app/", views.totp_key, name="totp_key"),
    re_path(  # the two security-code keys (users.services.key_deactivate); nothing else
        r"^digital-keys/(?P<key>email_code|totp)/deactivate/$",
        views.key_deactivate,
        name="key_deactivate",
    ),
]
