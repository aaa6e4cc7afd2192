from django.urls import path, re_path

from users.views import keys, login, personal_data, security_codes

app_name = "users"

urlpatterns = [
    path("login/", login.login, name="login"),
    path("login/eid/", login.login_eid, name="login_eid"),
    path("login/itsme/", login.login_itsme, name="login_itsme"),
    path("login/itsme/confirm/", login.login_itsme_confirm, name="login_itsme_confirm"),
    path("login/eidas/", login.login_eidas, name="login_eidas"),
    path("login/password/", login.login_password, name="login_password"),
    path("login/email/", security_codes.login_email_code, name="login_email_code"),
    path("login/email/code/", security_codes.login_email_code_code, name="login_email_code_code"),
    path("login/mobile-app/", security_codes.login_totp, name="login_totp"),
    path("login/mobile-app/code/", security_codes.login_totp_code, name="login_totp_code"),
    path("digital-keys/", keys.digital_keys, name="digital_keys"),
    path("digital-keys/email/", keys.email_key, name="email_key"),
    path("digital-keys/email/verify/", keys.email_key_verify, name="email_key_verify"),
    path("digital-keys/mobile-app/", keys.totp_key, name="totp_key"),
    re_path(  # the two security-code keys (services.security_codes.key_deactivate), no other
        r"^digital-keys/(?P<key>email_code|totp)/deactivate/$",
        keys.key_deactivate,
        name="key_deactivate",
    ),
    path("personal-data/", personal_data.personal_data, name="personal_data"),
    path("personal-data/password/", personal_data.password_change, name="password_change"),
]
