"""Settings of the CSAM portal, read from the environment (django-environ).

Without any variable the portal runs as `make run` needs it: SQLite under var/, Celery tasks run
eagerly in the request's process, e-mails written as .eml files under var/mail/. A deployment sets
DEBUG=False, and then SECRET_KEY and ALLOWED_HOSTS are required: a missing one stops the start.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="insecure-key-for-make-run-only")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
else:
    SECRET_KEY = env("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

# The address the portal is reached at, for the links in e-mails.
PORTAL_URL = env("PORTAL_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "mozilla_django_oidc",
    "django_tables2",
    "django_filters",
    "csam_portal",
    "users",
    "enterprises",
    "access_managers",
    "senders",
    "mandates",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # After what only adds headers, before anything that reads the session, the database or
    # the form: a body too large is a 413, then a NUL byte a 400.
    "csam_portal.core.middleware.RequestBodyLimitMiddleware",
    "csam_portal.core.middleware.NulByteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "csam_portal.core.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "csam_portal.core.middleware.SessionExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "csam_portal.urls"
WSGI_APPLICATION = "csam_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csam_portal.core.context_processors.portal",
            ],
        },
    },
]

# A deployment (DEBUG=False) names its database, broker and mail server: no silent fallback.
DATABASES = {
    "default": (
        env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
        if DEBUG
        else env.db("DATABASE_URL")
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Keep a worker's connection between requests (a new PostgreSQL connection costs milliseconds);
# checked before reuse, so a restarted database is reconnected to.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Prepared statements: a query a worker's connection has run PREPARE_THRESHOLD times is
    # prepared, and PostgreSQL stops planning it anew (planning was most of the time of the
    # portal's small queries: the roles' UNION 0.66 → 0.09 ms, tests/bench/pages.py). They need
    # server-side binding and live as long as the connection (CONN_MAX_AGE); a deployment behind
    # a transaction-pooling PgBouncer sets DATABASE_PREPARE_THRESHOLD= (empty: none prepared).
    threshold = env.str("DATABASE_PREPARE_THRESHOLD", default="5")
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=int(threshold) if threshold else None
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: the Celery worker started by the tests must see the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"

# SQLite builds the membership indexes without their included columns (a speed matter only).
SILENCED_SYSTEM_CHECKS = ["models.W040"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "users:login"
LOGIN_REDIRECT_URL = "home"

# --- Digital keys (users.verifiers) --------------------------------------------------------
# "simulators": the portal's simulators of every key; "oidc": CSAM's FAS over OpenID Connect.
# A deployment chooses explicitly: the simulators let anyone in who knows a demo PIN.
DIGITAL_KEYS_PROVIDER = (
    env("DIGITAL_KEYS_PROVIDER", default="simulators") if DEBUG else env("DIGITAL_KEYS_PROVIDER")
)
if DIGITAL_KEYS_PROVIDER not in {"simulators", "oidc"}:
    raise ImproperlyConfigured("DIGITAL_KEYS_PROVIDER is either simulators or oidc.")
# With DEBUG=False the simulators run only in a demonstration that says so: every page carries a
# banner (csam_portal.core.context_processors) and `check --deploy` warns (csam_portal.core.checks).
DEMO_SIMULATED_KEYS = env.bool("DEMO_SIMULATED_KEYS", default=False)
if DIGITAL_KEYS_PROVIDER == "simulators" and not DEBUG and not DEMO_SIMULATED_KEYS:
    raise ImproperlyConfigured(
        "DIGITAL_KEYS_PROVIDER=simulators lets anyone who knows a national register number log "
        "in as that person. A deployment sets DIGITAL_KEYS_PROVIDER=oidc (CSAM's FAS, with the "
        "OIDC_* settings); a demonstration sets DEMO_SIMULATED_KEYS=1."
    )
AUTHENTICATION_BACKENDS = [
    (
        "users.backends.FasBackend"
        if DIGITAL_KEYS_PROVIDER == "oidc"
        else "users.backends.DigitalKeyBackend"
    ),
    "users.backends.StaffBackend",  # the back office's username + password, at /admin/ only
]
SECURITY_CODE_SECONDS = 600
SECURITY_CODES_PER_HOUR = env.int("SECURITY_CODES_PER_HOUR", default=5)
# The lockout (users.lockout, README «Lockout»). Three failed logins of one account from one
# address (IPv6: its /64) lock that account there for KEY_LOCKOUT_MINUTES, whatever the key;
# LOGIN_FAILURES_PER_ADDRESS failures from one address in that time lock the address.
LOGIN_FAILURE_LIMIT = 3
LOGIN_COOLOFF = timedelta(minutes=env.int("KEY_LOCKOUT_MINUTES", default=15))
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=10)
# ACCOUNT_FAILURE_LIMIT failures of one account in ACCOUNT_COOLOFF, from anywhere, lock its keys
# with a guessable secret for ACCOUNT_COOLOFF (or until the back office lifts it); the account is
# told by e-mail. Three wrong PINs in a row block a simulated eID card for as long.
ACCOUNT_FAILURE_LIMIT = env.int("ACCOUNT_FAILURE_LIMIT", default=10)
ACCOUNT_COOLOFF = timedelta(hours=env.int("ACCOUNT_LOCKOUT_HOURS", default=24))
# csam_portal.core.throttle forgets hits older than this: longer than any of its windows (the
# longest: the account's lockout, and the day of an exceptional request's re-sends).
THROTTLE_RETENTION = max(ACCOUNT_COOLOFF, timedelta(days=1)) + timedelta(hours=1)
# CSAM's FAS (DIGITAL_KEYS_PROVIDER=oidc): the NISS is read from OIDC_NISS_CLAIM.
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", default="")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", default="openid profile egovNRN")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_NISS_CLAIM = env("OIDC_NISS_CLAIM", default="egovNRN")
OIDC_CREATE_USER = True
# The ID token's `iss` must be FAS's issuer and its `aud` our client id (OpenID Connect Core
# §3.1.3.7): without the issuer a deployment does not start. Clocks may differ by OIDC_LEEWAY.
OIDC_OP_ISSUER = env("OIDC_OP_ISSUER") if DIGITAL_KEYS_PROVIDER == "oidc" else ""
OIDC_LEEWAY = env.int("OIDC_LEEWAY", default=30)
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=5)  # seconds, each call to FAS's endpoints
# The logout ends the session at FAS too (RP-initiated logout) when FAS names its end-session
# endpoint: the ID token kept in the session is its id_token_hint.
OIDC_OP_LOGOUT_ENDPOINT = env("OIDC_OP_LOGOUT_ENDPOINT", default="")
OIDC_STORE_ID_TOKEN = True
LOGOUT_REDIRECT_URL = "home"

# French first: the default for anyone who has not chosen (csam_portal.core.middleware).
LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("fr", _("Français")),
    ("nl", _("Nederlands")),
    ("de", _("Deutsch")),
    ("en", _("English")),
]
LANGUAGE_COOKIE_NAME = "csam_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["csam_portal.formats"]  # 27.11.2026 in German, 27/11/2026 elsewhere
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_STORAGE",
            default=(
                "django.contrib.staticfiles.storage.StaticFilesStorage"
                if DEBUG
                else "whitenoise.storage.CompressedManifestStaticFilesStorage"
            ),
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# The largest legitimate upload is the scan of a signed exceptional request (back office). A
# request body over MAX_REQUEST_BODY_MB gets 413 before anything parses it
# (csam_portal.core.middleware.RequestBodyLimitMiddleware): DATA_UPLOAD_MAX_MEMORY_SIZE leaves
# files out.
EXCEPTIONAL_SCAN_MAX_MB = env.int("EXCEPTIONAL_SCAN_MAX_MB", default=10)
MAX_REQUEST_BODY_MB = env.int("MAX_REQUEST_BODY_MB", default=EXCEPTIONAL_SCAN_MAX_MB + 1)
if MAX_REQUEST_BODY_MB <= EXCEPTIONAL_SCAN_MAX_MB:
    raise ImproperlyConfigured(
        "MAX_REQUEST_BODY_MB must exceed EXCEPTIONAL_SCAN_MAX_MB: the form travels with the scan."
    )

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content-Security-Policy: no inline script or style anywhere, nothing from another origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Sessions end (csam_portal.core.middleware.SessionExpiryMiddleware) after SESSION_IDLE_MINUTES
# without a request, SESSION_MAX_HOURS after login, and when the browser closes.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_MAX_HOURS = env.int("SESSION_MAX_HOURS", default=12)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600  # the stored session's outer bound
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Behind a reverse proxy (BEHIND_PROXY=True) its X-Forwarded-Proto and X-Forwarded-For are
# trusted: for HTTPS detection and for the client address of the audit log. Never otherwise.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A deployment is HTTPS only: plain HTTP is redirected (behind a proxy too, which Django reads
# from X-Forwarded-Proto), except /health/ for a load balancer that probes over HTTP; browsers
# are told to keep to HTTPS for a year, subdomains included. The preload directive does nothing
# until the domain's owner submits the domain to the browsers' list.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[PORTAL_URL])

# --- E-mail -------------------------------------------------------------------------------
# EMAIL_URL (smtp://user:password@host:port, smtp+tls://…) sends through SMTP; without it each
# message is written to var/mail/ as an .eml file and announced by one line on the console.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="CSAM <noreply@csam.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if not DEBUG and "EMAIL_URL" not in env:
    raise ImproperlyConfigured("Set the EMAIL_URL environment variable (smtp://host:port).")
if "EMAIL_URL" in env:
    _smtp = env.email_url("EMAIL_URL")
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _smtp["EMAIL_HOST"],
                "port": _smtp["EMAIL_PORT"],
                "username": _smtp["EMAIL_HOST_USER"],
                "password": _smtp["EMAIL_HOST_PASSWORD"],
                "use_tls": _smtp.get("EMAIL_USE_TLS", False),
                "use_ssl": _smtp.get("EMAIL_USE_SSL", False),
                # A hung SMTP server must not hold a worker: the outbox retries later.
                "timeout": env.int("EMAIL_TIMEOUT", default=10),
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "csam_portal.core.mail.EmlFileBackend",
            "OPTIONS": {"file_path": str(env.path("EMAIL_FILE_PATH", default=VAR_DIR / "mail"))},
        }
    }

# The outbox (csam_portal.core.outbox): how often a message is tried before it is marked failed.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=6)
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=30)
OUTBOX_RETRY_MAX_SECONDS = env.int("OUTBOX_RETRY_MAX_SECONDS", default=3600)
# A pending message this late after its due time lost its task (broker down): the relay resends.
OUTBOX_RELAY_GRACE_SECONDS = env.int("OUTBOX_RELAY_GRACE_SECONDS", default=60)
OUTBOX_RELAY_INTERVAL_SECONDS = env.float("OUTBOX_RELAY_INTERVAL_SECONDS", default=30.0)
# A message claimed for sending this long ago was interrupted (worker killed mid-send).
OUTBOX_STALE_SENDING_SECONDS = env.int("OUTBOX_STALE_SENDING_SECONDS", default=900)
# After a failed publish, requests stop trying the broker for this long: the relay catches up.
OUTBOX_BROKER_BACKOFF_SECONDS = env.float("OUTBOX_BROKER_BACKOFF_SECONDS", default=15.0)

# --- Celery ---------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="") if DEBUG else env("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = env.bool("CELERY_TASK_EAGER_PROPAGATES", default=False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="csam")
# A request must never wait on a stopped or hung Redis: Celery's defaults block for over 40 s.
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 1.0,
    "socket_connect_timeout": 1.0,
    "max_retries": 0,
    "visibility_timeout": 3600,
}
CELERY_BEAT_SCHEDULE = {
    "exceptional-requests-expire": {
        "task": "access_managers.tasks.exceptional_requests_expire",
        "schedule": 3600,
        "options": {"expires": 3600},
    },
    "throttle-prune": {
        "task": "csam_portal.core.tasks.throttle_prune",
        "schedule": 3600,
        "options": {"expires": 3600},
    },
    "outbox-relay": {
        "task": "csam_portal.core.tasks.outbox_relay",
        "schedule": OUTBOX_RELAY_INTERVAL_SECONDS,
        # Rounds queued while no worker ran are dropped, not run back to back on its return.
        "options": {"expires": OUTBOX_RELAY_INTERVAL_SECONDS},
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# The exceptional procedure (flows.md §2): where the signed document goes ("email", seed 000's
# default, or "postal", seed 001), how long a request waits for it, and how many look-ups in the
# registers (identities, persons, tickets) one anonymous IP address may make in an hour.
EXCEPTIONAL_RETURN_MODE = env("EXCEPTIONAL_RETURN_MODE", default="email")
EXCEPTIONAL_RETURN_EMAIL = env("EXCEPTIONAL_RETURN_EMAIL", default="accesspers@smals.be")
EXCEPTIONAL_RETURN_POSTAL_ADDRESS = env.list(
    "EXCEPTIONAL_RETURN_POSTAL_ADDRESS",
    default=["Centre de Contact Eranova", "Smals", "Avenue Fonsny 20", "1060 Bruxelles"],
)
EXCEPTIONAL_REQUEST_EXPIRY_DAYS = env.int("EXCEPTIONAL_REQUEST_EXPIRY_DAYS", default=90)
EXCEPTIONAL_LOOKUPS_PER_HOUR = env.int("EXCEPTIONAL_LOOKUPS_PER_HOUR", default=10)
# «Recevoir à nouveau le document»: e-mails one request's document link may get in 24 hours.
EXCEPTIONAL_RESENDS_PER_DAY = env.int("EXCEPTIONAL_RESENDS_PER_DAY", default=3)

# Questions one IP address may send from the contact page in an hour.
CONTACT_MAX_PER_HOUR = env.int("CONTACT_MAX_PER_HOUR", default=5)

# The contact centre that the error pages and the contact page point to (flows.md §7).
SOCIAL_SECURITY_CONTACT_URL = env(
    "SOCIAL_SECURITY_CONTACT_URL",
    default="https://www.socialsecurity.be/site_fr/employer/general/contactcenter/index.htm",
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint tells each step of a PDF at INFO: only its warnings are worth a line.
    "loggers": {"django.db.backends": {"level": "INFO"}, "weasyprint": {"level": "WARNING"}},
}
