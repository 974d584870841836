"""Settings for the workup project: one file, driven by environment variables.

Two modes:
- Development (the default, DEBUG on): nothing to configure. SQLite in the project folder,
  Celery tasks run in-process, documents under var/documents.
- Production (DEBUG=0): PostgreSQL, a Celery broker (Redis), a real worker. Start-up fails
  at once, naming every missing variable, unless SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL,
  CELERY_BROKER_URL and DOCUMENT_ROOT are set.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
# Production mode is DEBUG=0 in the environment (test runners turn DEBUG off by themselves;
# this keeps what the environment said).
PRODUCTION = not DEBUG

PRODUCTION_REQUIRED = (
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "DOCUMENT_ROOT",
)
if not DEBUG:
    missing = [name for name in PRODUCTION_REQUIRED if not env.str(name, default="").strip()]
    if missing:
        raise ImproperlyConfigured(
            "DEBUG is off (production), so these environment variables must be set: "
            + ", ".join(missing)
            + ". See the README, 'Running in production'."
        )

# Development only: a fixed, public placeholder, never used when DEBUG is off.
SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-development-only-key")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "rest_framework",
    "knox",
    "simple_history",
    "axes",
    "csp",
    "workup.knowledge",
    "workup.accounts",
    "workup.audit",
    "workup.clinic",
    "workup.documents",
    "workup.worklist",
    "workup.site",
    "workup.bench",
    "health_check",
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "workup.site.middleware.NoStoreMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "workup.audit.middleware.AccessLogMiddleware",
    # last, as django-axes asks: refuses requests from a locked-out username or address
    "axes.middleware.AxesMiddleware",
]

# -- Security headers ------------------------------------------------------------------------
# Content-Security-Policy: scripts and styles from our own static files only (no inline
# script, no eval; htmx is configured to match in base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# Permissions-Policy: the product uses no device feature.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "display-capture",
        "fullscreen",
    )
}
X_FRAME_OPTIONS = "DENY"

# -- Login throttling (django-axes) ------------------------------------------------------------
# After AXES_FAILURE_LIMIT failed logins for one username, or from one address, further
# attempts are refused for AXES_COOLOFF_MINUTES; a success resets the count. Each failure and
# each lock-out is logged (username and address, never the password).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind N proxies that each append to X-Forwarded-For, the client is the Nth address from the
# right; with 0 (gunicorn reached directly), the connection's address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "workup.accounts.network.client_ip"
AXES_VERBOSE = True
# Log which account and address failed (staff usernames, no patient data); the password is
# always masked by django-axes.
AXES_SENSITIVE_PARAMETERS = []

if not DEBUG:  # production serves static files with WhiteNoise (runserver does it in development)
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

# Caches: "default" is shared by every process when CACHE_URL names a Redis (production), and
# then holds the sessions too; "local" is per process and keeps rendered page fragments, so
# nothing with patient data is sent to Redis.
CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://default"),
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "local"},
}
if env.str("CACHE_URL", default=""):
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"

# Sessions end after 30 minutes without activity.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Error pages and error reports never show patient data: no request bodies, no local variables.
DEFAULT_EXCEPTION_REPORTER_FILTER = "workup.site.privacy.NoPatientDataFilter"

ROOT_URLCONF = "workup.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # {% load documents %}: the review page's Print panel, drawn by the document kinds
            "libraries": {"documents": "workup.documents.kinds"},
        },
    },
]

WSGI_APPLICATION = "workup.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Keep connections open between requests in production (a service that writes several rows
# opens its own transaction; requests are not wrapped in one).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves several clinicians at once (runserver's threads): a write
    # takes SQLite's lock when its transaction begins, and waits for it, instead of failing
    # with "database is locked" when two saves meet halfway
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# Patient handouts are printed in the patient's language (workup/locale holds translations).
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "workup" / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "workup" / "static"]
# Served by WhiteNoise (compressed, with hashed names in production).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")

# Printed documents (PDFs): private files, served only through a view that checks the practice.
DOCUMENT_ROOT = env.path("DOCUMENT_ROOT", default=BASE_DIR / "var" / "documents")

# The knowledge base the engine reads (YAML files; see fixtures/knowledge_base/meta.yaml).
KNOWLEDGE_BASE_DIR = env.path(
    "KNOWLEDGE_BASE_DIR", default=BASE_DIR / "fixtures" / "knowledge_base"
)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["knox.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="20/minute"),
        "user": env.str("API_THROTTLE_USER", default="60/minute"),
    },
    "UNAUTHENTICATED_USER": None,
    # every 4xx is {"errors": {"field.path": "message"}}
    "EXCEPTION_HANDLER": "workup.api.errors.exception_handler",
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
# API tokens (django-rest-knox): shown once when made, stored hashed, expire after 30 days.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_DAYS", default=30)),
    "AUTO_REFRESH": False,
}

# Celery: with no broker configured, tasks run in-process (the embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL == "memory://"
)
CELERY_TASK_EAGER_PROPAGATES = True
# PDFs go to their own queue, so a dedicated worker renders them.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"workup.documents.tasks.*": {"queue": "pdf"}}
# A task is acknowledged only when it has finished: a worker killed mid-render leaves it on
# the queue, and the task is idempotent, so it is simply done again.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Render limits and worker recycling are read from here by the worker (the Procfile sets no
# flags for them).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=45)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=60)
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=200)
# With Redis, an unacknowledged task returns to the queue after this many seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=300)
}
# When the broker is down, give up quickly: the GP is told printing is delayed and a sweep
# queues the document again once the broker is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# A document still queued after this many seconds (the broker was down when the GP clicked
# Print) is sent again; Celery beat runs that sweep as often.
DOCUMENT_REQUEUE_SECONDS = env.int("DOCUMENT_REQUEUE_SECONDS", default=30)
CELERY_BEAT_SCHEDULE = {
    "requeue-stale-documents": {
        "task": "workup.documents.tasks.requeue_stale_documents",
        "schedule": float(DOCUMENT_REQUEUE_SECONDS),
    },
}

# Production security (check --deploy is clean). Behind a TLS-terminating proxy that sets
# X-Forwarded-Proto; for a trial on one machine without TLS, set SECURE_SSL_REDIRECT=0,
# SESSION_COOKIE_SECURE=0 and CSRF_COOKIE_SECURE=0.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])

# Patient data never goes to logs: only warnings and errors, without request bodies.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"expected_refusal": {"()": "workup.site.log_filters.ExpectedRefusal"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # (django-axes logs each failed login and each lock-out at WARNING: username and
    # address, never the password)
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    # an expected 403 (the access rules at work) is one line, without a traceback
    "loggers": {"django.request": {"filters": ["expected_refusal"]}},
}
