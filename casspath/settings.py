"""casspath settings: one file, configured from the environment.

With no environment at all it runs on SQLite under ./var with a generated secret key,
so `make demo` needs no set-up. Production sets DATABASE_URL, REDIS_URL, SECRET_KEY,
ALLOWED_HOSTS and keeps SECURE_COOKIES on.
"""

import hashlib
import os
import re
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or default


VAR_DIR = Path(os.environ.get("CASSPATH_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in var/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
# A refused CSRF check gets the site's page in both languages, not Django's bare one.
CSRF_FAILURE_VIEW = "casspath.site.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "huey.contrib.djhuey",
    # casspath's apps, floor first, in the layer order of docs/CONTRIBUTING.md: the site
    # gathers menus, home cards and demo parts in this order.
    "casspath.core",
    "casspath.api",
    "casspath.imports",
    "casspath.search",
    "casspath.org",
    "casspath.competency",
    "casspath.cass",
    "casspath.knowledge",
    "casspath.assess",
    "casspath.performance",
    "casspath.site",
    # Serves the API docs (Swagger UI) from local static files instead of a CDN.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the rest: whatever they answer under /api/ is reshaped into the API's JSON.
    "casspath.api.middleware.JsonErrorsMiddleware",
    # Before anything reads the request into a query: a NUL is a 400, not a database error.
    "casspath.core.nul.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A body larger than any upload is refused before it is read (core/uploads.py): after
    # the user is known (a route's larger limit is for logged-in users), before any view or
    # CSRF's process_view reads the body (none of the middleware above reads it).
    "casspath.core.uploads.RequestSizeLimitMiddleware",
    # Renews a "keep me signed in" session daily; ends it for a user who gained a role.
    "casspath.site.login.KeepSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "casspath.core.middleware.NoStoreMiddleware",
    "casspath.core.middleware.PasswordChangeRequiredMiddleware",
    # Axes last: it turns a locked-out login into a refusal page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "casspath.urls"
WSGI_APPLICATION = "casspath.wsgi.application"

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
                "django.template.context_processors.i18n",
                "casspath.site.context_processors.navigation",
            ],
        },
    },
]

# Persistent connections: a web worker keeps its connection for DB_CONN_MAX_AGE seconds
# instead of opening one per request. On PostgreSQL a new connection is a new server process
# (authentication, a fork, catalogue caches warmed again: the issue measured x1.9 on the
# employee page at 60 s); CONN_HEALTH_CHECKS pings a kept connection before a request
# reuses it, so a restarted server costs one reconnect, not one failed request. On SQLite
# opening is cheaper but not free (the backend registers its functions and runs the PRAGMAs
# below: 1.4 ms of a 2.3 ms logged-in request in benchmarks/profile_request.py), and a kept
# connection holds nothing between requests (no open transaction, no lock: WAL readers never
# block the writer), so it is kept too. The development server closes every connection
# after each request anyway (its threads end). DB_CONN_MAX_AGE=0 opens one per request.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'casspath.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=envbool("DB_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the Huey consumer writes an import.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2id at the OWASP-recommended cost (m=19 MiB, t=2, p=1; casspath/core/hashers.py says
# why and cites the cheat sheet). It also verifies hashes made with Django's default Argon2
# parameters (100 MiB, p=8) and rehashes them at the user's next login.
PASSWORD_HASHERS = [
    "casspath.core.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the session's user more cheaply (sessions made with
    # Django's own path end once: a session names the backend that logged it in).
    "casspath.core.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes), two locks of AXES_COOLOFF_MINUTES: one username from one
# address after AXES_FAILURE_LIMIT failures, and every username from one address after
# AXES_IP_FAILURE_LIMIT failures (password spraying; higher, as offices share an address).
LOGIN_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
LOGIN_IP_FAILURE_LIMIT = max(envint("AXES_IP_FAILURE_LIMIT", 30), LOGIN_FAILURE_LIMIT)


def axes_failure_limit(request, credentials) -> int:
    """Axes compares the largest failure count over its lockout parameters (that is the
    address's, which includes the pair's) with one limit; choosing the limit per request
    gives each parameter its own: the pair's limit once the pair reached it, else the
    address's."""
    from axes.handlers.database import AxesDatabaseHandler
    from django.conf import settings
    from django.db.models import Sum

    pair = AxesDatabaseHandler().get_user_attempts(request, credentials)[0]
    failures = pair.aggregate(total=Sum("failures_since_start"))["total"] or 0
    low, high = settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_IP_FAILURE_LIMIT
    return low if failures >= low else high


AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"  # axes_failure_limit reads its rows
AXES_FAILURE_LIMIT = axes_failure_limit
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
# The pair first: axes_failure_limit reads the pair's attempts as the first parameter's.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_LOCKOUT_CALLABLE = "casspath.site.login.locked_out"  # the template, saying when the lock ends
AXES_VERBOSE = False
# Lock-outs keyed by the canonical username: "gd00099" and "GD00099" are one user.
AXES_USERNAME_CALLABLE = "casspath.core.backends.axes_username"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "casspath" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve straight from the app folders too, so a checkout runs without collectstatic.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
# Uploaded import files and generated files only their owner may download.
PRIVATE_FILES_DIR = VAR_DIR / "private"
# Django's two defaults, and "private": files kept for the users allowed to download them
# (casspath/core/storage.py), under PRIVATE_FILES_DIR unless settings say otherwise.
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {"BACKEND": "casspath.core.storage.PrivateFileStorage"},
}
# Uploaded files of learning resources (videos, audio, posters; casspath/cass) are kept by
# STORAGES["default"]: MEDIA_ROOT on this machine, or an S3-compatible bucket (AWS S3, MinIO,
# Ceph, OSS...) when MEDIA_S3_BUCKET is set, through django-storages (the optional extra
# "s3": `uv sync --extra s3`). Credentials come the way boto3 reads them (AWS_ACCESS_KEY_ID
# and AWS_SECRET_ACCESS_KEY, or the machine's role); docs/operations.md says more.
if os.environ.get("MEDIA_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["MEDIA_S3_BUCKET"],
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_S3_REGION") or None,
            "location": os.environ.get("MEDIA_S3_PREFIX", "media"),
            "default_acl": None,  # the bucket stays private: every file goes through a view
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": envint("MEDIA_S3_URL_SECONDS", 300),
        },
    }
# With a bucket, a media file may be sent by the bucket itself (a short-lived signed URL the
# view redirects to, after its access check: the bucket answers the byte ranges) instead of
# through the web process. Off by default: the bucket must then be reachable by the users.
MEDIA_REDIRECT_TO_STORAGE = envbool("MEDIA_REDIRECT_TO_STORAGE", False)
# Uploads past 5 MB spill to a temporary file (Django's TemporaryFileUploadHandler) and
# are streamed to storage in chunks; DATA_UPLOAD_MAX_MEMORY_SIZE bounds the non-file fields.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "casspath.core.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# Security baseline. SECURE_COOKIES is on unless the site is served on plain HTTP
# (the demo on 127.0.0.1 turns it off).
SECURE_COOKIES = envbool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Django's database sessions, loaded with one plain statement (casspath/core/sessions.py).
SESSION_ENGINE = "casspath.core.sessions"
# An ordinary session's cookie ends with the browser; the server ends the session
# SESSION_COOKIE_AGE after its last change whatever the browser does (core/sessions.py).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 60 * 60 * 10)
# "Keep me signed in on this phone" at login: the session of a login whose roles reach only
# himself (an account manager) lasts this long, renewed daily while used (casspath/site/login.py).
KEEP_SIGNED_IN_DAYS = envint("KEEP_SIGNED_IN_DAYS", 30)
# The longest an API token lives, and its expiry when none shorter is chosen.
API_TOKEN_MAX_AGE = timedelta(days=envint("API_TOKEN_MAX_AGE_DAYS", 90))
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if SECURE_COOKIES else 0)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
# Proxy headers are trusted only when the site says it runs behind a proxy that sets them
# (BEHIND_PROXY=1): otherwise any client could claim HTTPS or another address.
BEHIND_PROXY = envbool("BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None


def proxy_client_ip(request) -> str | None:
    """The client's address as one proxy in front of us saw it: the last X-Forwarded-For
    entry (the one our proxy appended; entries before it are the client's own claims)."""
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    return forwarded[-1] if forwarded else request.META.get("REMOTE_ADDR")


# django-ipware is not installed, so axes' AXES_IPWARE_* settings would do nothing; axes
# reads REMOTE_ADDR unless given this callable.
AXES_CLIENT_IP_CALLABLE = proxy_client_ip if BEHIND_PROXY else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}



def _huey_file_of(database: Any) -> Path:
    """The SQLite queue of the database's own jobs, named after it: two sites on different
    databases (two demos, a demo beside a test run) do not take each other's jobs, whose rows
    the other database lacks. var/huey-casspath-1a2b3c4d.sqlite3: the database's name and a
    hash of where it is (two files of one name in different folders, or on two servers)."""
    name = str(database.get("NAME") or "casspath")
    where = f"{database['ENGINE']}|{database.get('HOST') or ''}|{database.get('PORT') or ''}|{name}"
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", Path(name).stem)[:40] or "casspath"
    return VAR_DIR / f"huey-{stem}-{hashlib.sha256(where.encode()).hexdigest()[:8]}.sqlite3"


# Background work: SQLite storage needs no server; REDIS_URL scales out to many consumers.
# Without REDIS_URL the queue is a SQLite file named after the database (HUEY_FILENAME sets it).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": os.environ.get("HUEY_NAME", "casspath"),
        "url": REDIS_URL,
        "immediate": envbool("HUEY_IMMEDIATE", False),
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "casspath",
        "filename": os.environ.get("HUEY_FILENAME") or str(_huey_file_of(DATABASES["default"])),
        "immediate": envbool("HUEY_IMMEDIATE", False),
    }

# Background jobs (casspath.core.jobs): a running job whose heartbeat is older than this
# (seconds) lost its worker; it is requeued until it has had JOB_MAX_ATTEMPTS attempts.
JOB_STALE_AFTER = envint("JOB_STALE_AFTER", 300)
JOB_MAX_ATTEMPTS = envint("JOB_MAX_ATTEMPTS", 3)
# How many jobs of one kind a user may have queued or running at once (core.jobs.limit_per_user).
JOB_LIVE_PER_USER = envint("JOB_LIVE_PER_USER", 3)
# Tests only: the point where a job waits to be killed (core.jobs.pause_for_tests).
JOB_TEST_PAUSE = os.environ.get("CASSPATH_JOB_TEST_PAUSE", "")

# Configurable business defaults (CONTRACTS.md).
CASSPATH: dict[str, Any] = {
    # Growth stages by completed years of tenure: [lower, upper).
    "DEFAULT_STAGE_BOUNDS": [("growth", 0, 2), ("development", 2, 5), ("maturity", 5, None)],
    "IMPORT_MAX_ROWS": envint("IMPORT_MAX_ROWS", 200_000),
    # Kinds whose files are larger by nature read with their own budget (imports/limits.py):
    # a year of monthly performance for 100,000 managers in long form is 1.2 million rows.
    "IMPORT_BUDGET_BY_KIND": {
        "performance": {
            "IMPORT_MAX_ROWS": envint("IMPORT_MAX_ROWS_PERFORMANCE", 1_500_000),
            "IMPORT_MAX_CELLS": envint("IMPORT_MAX_CELLS_PERFORMANCE", 8_000_000),
            "IMPORT_MAX_TEXT_CHARS": envint("IMPORT_MAX_TEXT_CHARS_PERFORMANCE", 120_000_000),
        },
    },
    # A performance record of this many yuan or more is a big deal (大单), as is one flagged
    # 是否大单 (CONTRACTS.md, "Performance"). Read when the records are read, so changing it
    # (environment PERFORMANCE_BIG_DEAL_THRESHOLD, then restart) needs no re-import.
    "PERFORMANCE_BIG_DEAL_THRESHOLD": envint("PERFORMANCE_BIG_DEAL_THRESHOLD", 50_000),
    # The largest import file, for the web form and the API alike.
    "IMPORT_MAX_UPLOAD_BYTES": envint("IMPORT_MAX_UPLOAD_BYTES", 50 * 1024 * 1024),
    # A sheet's grid from A1 to its last cell, checked before it is expanded (imports/limits.py).
    "IMPORT_MAX_COLUMNS": envint("IMPORT_MAX_COLUMNS", 200),
    "IMPORT_MAX_CELLS": envint("IMPORT_MAX_CELLS", 2_000_000),
    # The text the cells expand to (a shared string counts once per cell that uses it).
    "IMPORT_MAX_TEXT_CHARS": envint("IMPORT_MAX_TEXT_CHARS", 50_000_000),
    # Uploaded import files are deleted after this many days; a dry run's never applied sooner.
    "IMPORT_FILE_RETENTION_DAYS": envint("IMPORT_FILE_RETENTION_DAYS", 30),
    "IMPORT_DRY_RUN_FILE_RETENTION_DAYS": envint("IMPORT_DRY_RUN_FILE_RETENTION_DAYS", 2),
    # How long an import waits for another import of the same units to finish writing (imports/locks.py).
    "IMPORT_LOCK_WAIT_SECONDS": envint("IMPORT_LOCK_WAIT_SECONDS", 600),
    # A web request's wait for the same lock (API batch and upsert, page edits), then 409 / form error.
    "IMPORT_LOCK_WAIT_SECONDS_REQUEST": envint("IMPORT_LOCK_WAIT_SECONDS_REQUEST", 15),
    # The most logins one batch issues (org/actions/logins.py): a larger unit is refused,
    # with the advice to issue its subunits one by one.
    "LOGIN_BATCH_MAX": envint("LOGIN_BATCH_MAX", 20_000),
    # Errors and warnings a report keeps; it counts the rest ("and N more").
    "IMPORT_REPORT_MAX_ITEMS": envint("IMPORT_REPORT_MAX_ITEMS", 1000),
    # The largest video and audio file of a learning resource (cass/forms.py, core/filetypes.py).
    "MEDIA_MAX_BYTES_VIDEO": envint("MEDIA_MAX_BYTES_VIDEO", 200 * 1024 * 1024),
    "MEDIA_MAX_BYTES_AUDIO": envint("MEDIA_MAX_BYTES_AUDIO", 50 * 1024 * 1024),
    "DEMO_PASSWORD": os.environ.get("DEMO_PASSWORD", "casspath-demo-2026"),
}
# The largest request body taken at all: the largest upload and room for the form's other
# fields (core/uploads.py refuses anything larger before reading it).
REQUEST_MAX_BYTES = CASSPATH["IMPORT_MAX_UPLOAD_BYTES"] + 1024 * 1024
# Only the media upload route (marked with core.uploads.allow_request_bytes) takes more: the
# largest video or audio, a poster beside it (core/filetypes.IMAGE_MAX_BYTES) and the fields.
REQUEST_MAX_BYTES_MEDIA = (max(CASSPATH["MEDIA_MAX_BYTES_VIDEO"], CASSPATH["MEDIA_MAX_BYTES_AUDIO"])
                           + 11 * 1024 * 1024)

# Huey's consumer adds a handler of its own to the "huey" logger unless it has one: giving it
# ours (and not propagating to the root) prints each of its lines once, not twice.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"worker": {"format": "[%(asctime)s] %(levelname)s %(name)s: %(message)s"}},
    "filters": {"client_errors": {"()": "casspath.core.logfilters.ClientErrorsWithoutTraceback"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["client_errors"]},
        "worker": {"class": "logging.StreamHandler", "formatter": "worker"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "huey": {"handlers": ["worker"], "level": os.environ.get("HUEY_LOG_LEVEL", "INFO"),
                 "propagate": False},
    },
}
AUTH_USER_MODEL = "core.User"
