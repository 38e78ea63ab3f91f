"""Django settings, read only from environment variables.

See docs/operations.md for every variable. A bad value stops start-up with a
message that names the variable (tsunagari.lib.env).
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from tsunagari.lib.datadir import data_dir
from tsunagari.lib.env import envbool, envint, envlist, envstr

PACKAGE_DIR = Path(__file__).resolve().parent
# TSUNAGARI_DATA_DIR, else the per-user folder (~/.local/share/tsunagari): never the working directory.
DATA_DIR = data_dir()

MODE = envstr("TSUNAGARI_MODE", "development")
if MODE not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"TSUNAGARI_MODE={MODE!r} is not known: set it to 'development' or 'production'."
    )
PRODUCTION = MODE == "production"

DEBUG = envbool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured(
        "DEBUG=1 is not allowed with TSUNAGARI_MODE=production: unset DEBUG."
    )


def _key_from_file() -> str:
    """The key from ``SECRET_KEY_FILE``, else from the systemd credential
    ``secret_key`` (``LoadCredential=`` in deploy/tsunagari.service): kept in
    a file only root can read, instead of the process environment, which
    every child process and a crash report would carry (ASVS 1.6.2, 6.4.2)."""
    named = envstr("SECRET_KEY_FILE", "")
    credentials = envstr("CREDENTIALS_DIRECTORY", "")
    if named:
        path, variable = Path(named), "SECRET_KEY_FILE"
    elif credentials and (Path(credentials) / "secret_key").is_file():
        path, variable = Path(credentials) / "secret_key", "CREDENTIALS_DIRECTORY"
    else:
        return ""
    try:
        key = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(
            f"{variable}: the secret key file {path} cannot be read ({exc.__class__.__name__}): "
            "check the path and that the service account may read it."
        ) from None
    if not key:
        raise ImproperlyConfigured(f"{variable}: the secret key file {path} is empty.")
    return key


def _secret_key() -> str:
    if envstr("SECRET_KEY", "") and envstr("SECRET_KEY_FILE", ""):
        raise ImproperlyConfigured(
            "SECRET_KEY and SECRET_KEY_FILE are both set: keep one (the file is safer)."
        )
    key = envstr("SECRET_KEY", "") or _key_from_file()
    if key:
        if PRODUCTION and len(key) < 32:
            raise ImproperlyConfigured(
                "SECRET_KEY is too short: use at least 32 random characters."
            )
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: production mode needs a secret key of 32+ random characters."
        )
    # Development: generate once and keep it, so sessions survive restarts.
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="ascii").strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key, encoding="ascii")
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is empty: list the host names the site is served on.")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "tsunagari.accounts",
    "tsunagari.audit",
    "tsunagari.people",
    "tsunagari.consent",
    "tsunagari.consultations",
    "tsunagari.cases",
    "tsunagari.events",
    "tsunagari.demo",
    "tsunagari.surveys",
    "tsunagari.meetings",
    "tsunagari.council",
    "tsunagari.linkage",
    "tsunagari.resources",
    "tsunagari.public",
    "tsunagari.outreach",
    "tsunagari.participation",
    "tsunagari.community",
    "tsunagari.plan",
    "tsunagari.disaster",
    "tsunagari.safeguarding",
    "tsunagari.consumer",
    "tsunagari.barriers",
    "tsunagari.workforce",
    "tsunagari.awareness",
]

MIDDLEWARE = [
    "tsunagari.accounts.middleware.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tsunagari.accounts.sessions.RollingSessionMiddleware",
    "tsunagari.lib.locale.JapaneseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tsunagari.accounts.mfa.SecondFactorMiddleware",
    "tsunagari.accounts.initial.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tsunagari.accounts.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tsunagari.urls"
WSGI_APPLICATION = "tsunagari.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tsunagari.accounts.context.navigation",
                "tsunagari.demo.context.sample_data",
            ],
        },
    }
]


def _database() -> dict[str, object]:
    url = envstr("DATABASE_URL", "")
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{DATA_DIR / 'tsunagari.sqlite3'}"
    try:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"DATABASE_URL could not be read ({exc}): use sqlite:///path or postgres://user:pass@host/db."
        ) from None
    engine = str(config.get("ENGINE", ""))
    if engine.endswith("sqlite3"):
        # Each server thread keeps its connection (like PostgreSQL's below):
        # opening one costs a file open, Django's SQL functions and the
        # PRAGMAs on every request, about a tenth of a page's server time.
        config["CONN_MAX_AGE"] = 60
        config["OPTIONS"] = {
            # WAL lets readers go on while one writer works; IMMEDIATE avoids
            # "database is locked" on read-then-write transactions.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": envint("SQLITE_BUSY_TIMEOUT", 20, minimum=1),
        }
    elif "postgresql" not in engine:
        raise ImproperlyConfigured(
            f"DATABASE_URL names an unsupported database ({engine}): use SQLite or PostgreSQL."
        )
    else:
        _require_verified_tls(config)
        if envbool("DATABASE_PREPARED_STATEMENTS", default=True):
            # Parameters go to the server apart from the statement, and a
            # statement used again on a connection is prepared there once:
            # PostgreSQL then skips planning the same page queries on every
            # request (about a tenth of a millisecond each, 20-odd a page;
            # 15 % more requests a second under load here). Turn off behind a
            # pooler that cannot keep prepared statements (PgBouncer before 1.21).
            options = config.get("OPTIONS")
            config["OPTIONS"] = {
                **(options if isinstance(options, dict) else {}),
                "server_side_binding": True,
                "prepare_threshold": 2,
            }
    return config


def _require_verified_tls(config: dict[str, object]) -> None:
    """Production reaches a database on another machine only over TLS with the
    server's certificate and name verified (ASVS 1.9.2, 9.2.1)."""
    host = str(config.get("HOST") or "")
    local = host == "" or host.startswith("/") or host in {"localhost", "127.0.0.1", "::1"}
    options = config.get("OPTIONS")
    sslmode = options.get("sslmode") if isinstance(options, dict) else None
    if PRODUCTION and not local and sslmode != "verify-full":
        raise ImproperlyConfigured(
            f"DATABASE_URL reaches the database on {host} without ?sslmode=verify-full: "
            "add it (with the server's CA in ~/.postgresql/root.crt or ?sslrootcert=...), "
            "or use a database on this machine."
        )


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.Staff"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, refusing an initial password past its expiry (accounts.initial)
    "tsunagari.accounts.initial.StaffBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},  # ASVS 2.1.1
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "tsunagari.accounts.password.MaximumLengthValidator",
        "OPTIONS": {"max_length": 128},  # ASVS 2.1.2
    },
]
# A second factor (TOTP, accounts.mfa): whoever has set one up enters a code
# at each sign-in; with MFA_REQUIRED (on in production) these roles must.
MFA_REQUIRED = envbool("MFA_REQUIRED", default=PRODUCTION)
MFA_ROLES = envlist("MFA_ROLES", ["administrator", "supervisor"])
OTP_TOTP_ISSUER = envstr("OTP_ISSUER", "Tsunagari")
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sign-in lock-out (django-axes): after AXES_FAILURE_LIMIT failures the account
# is locked for AXES_COOLOFF_MINUTES, whatever address the attempts come from.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
# Locking by address would lock a whole ward office behind one NAT address
# after a few colleagues mistype; lock the account being guessed instead.
SILENCED_SYSTEM_CHECKS = [
    "axes.W006",
    # The check looks for Django's SecurityMiddleware by name; ours extends it
    # (accounts.middleware.SecurityMiddleware), and tests/security prove that
    # HSTS, nosniff, the referrer policy and the HTTPS redirect are sent.
    "security.W001",
]

# Idle timeout (ASVS 3.3.2: at most 30 minutes) and an absolute lifetime from
# sign-in, however busy the session is kept (accounts.sessions).
SESSION_COOKIE_AGE = envint("SESSION_MINUTES", 30, minimum=5) * 60
SESSION_MAX_HOURS = envint("SESSION_MAX_HOURS", 10, minimum=1)
# Idle timeout: a request moves the session's expiry once it has run down by
# more than SESSION_EXTEND_AFTER seconds (accounts.sessions), instead of
# writing the session row on every request, which on SQLite queues every page
# view on the one write lock.
SESSION_ENGINE = "tsunagari.accounts.sessions"
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXTEND_AFTER = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Secure cookies carry the __Host- prefix (ASVS 3.4.4): the browser keeps them
# only if they are Secure, for this host alone, with Path=/.
SESSION_COOKIE_NAME = "__Host-sessionid" if SESSION_COOKIE_SECURE else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if CSRF_COOKIE_SECURE else "csrftoken"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", 31536000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION)
# Plain HTTP is answered with a redirect to HTTPS in production, except a
# browser on the server itself (accounts.middleware.SecurityMiddleware).
# Behind a TLS proxy, BEHIND_TLS_PROXY=1 is needed or every request loops.
SECURE_SSL_REDIRECT = envbool("SSL_REDIRECT", default=PRODUCTION)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_TLS_PROXY", False) else None
)

# Content security policy: everything is served from this site; ward networks
# are closed, so no CDN, no external fonts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(DATA_DIR / "static")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "media")},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Aggregates never show cells under this count (small-cell suppression).
SMALL_CELL_MIN = envint("SMALL_CELL_MIN", 5, minimum=1)

# Largest extract file accepted from the linkage upload page, in bytes (200 MB).
LINKAGE_MAX_FILE_BYTES = envint("LINKAGE_MAX_FILE_BYTES", 200 * 1024 * 1024, minimum=1)

# Break-the-glass (the person is at the desk): days the provisional access
# lasts unless the agency's supervisor, a consent or a case confirms it, and
# how many such openings by one worker in one day are flagged for review.
AT_DESK_ACCESS_DAYS = envint("AT_DESK_ACCESS_DAYS", 14, minimum=1)
AT_DESK_FLAG_PER_DAY = envint("AT_DESK_FLAG_PER_DAY", 5, minimum=1)

# Abuse and violence reports (safeguarding): wall-clock limits from the report,
# nights and holidays included, as the national guidelines count them.
SAFEGUARDING_SAFETY_HOURS = envint("SAFEGUARDING_SAFETY_HOURS", 48, minimum=1)
SAFEGUARDING_FACTS_HOURS = envint("SAFEGUARDING_FACTS_HOURS", 168, minimum=1)
SAFEGUARDING_DECISION_HOURS = envint("SAFEGUARDING_DECISION_HOURS", 336, minimum=1)
SAFEGUARDING_MONITORING_DAYS = envint("SAFEGUARDING_MONITORING_DAYS", 90, minimum=1)
# A multi-agency case should have a plan agreed within this many working days
# of opening; the coordinator's dashboard counts the open cases past it.
CASE_PLAN_WITHIN_WORKING_DAYS = envint("CASE_PLAN_WITHIN_WORKING_DAYS", 20, minimum=1)

# Days an API bearer token lives unless issued with --days (at most 366).
API_TOKEN_DAYS = envint("API_TOKEN_DAYS", 90, minimum=1)

# Working days to answer a referral, by agency kind, over
# consultations/data/response_days.yaml (empty: the file decides).
REFERRAL_RESPONSE_DAYS: dict[str, int] = {}
# The ward's closing days (区の閉庁日), skipped by every working-day deadline.
WARD_CLOSING_DAYS_FILE = Path(
    envstr("WARD_CLOSING_DAYS_FILE", str(PACKAGE_DIR / "lib" / "data" / "closing_days.yaml"))
)

# Seconds an audit event may stay unsealed (written, not yet chained) before
# `tsunagari audit verify` reports it; the timer running `audit seal` should
# come round well within it.
AUDIT_SEAL_GRACE_SECONDS = envint("AUDIT_SEAL_GRACE_SECONDS", 300, minimum=1)

# Person look-ups one staff member may make (page, API, intake) per minute
# and per calendar day; more is answered 429 and audited as a refusal.
LOOKUP_PER_MINUTE = envint("LOOKUP_PER_MINUTE", 60, minimum=1)
# What one member of staff may keep in the data folder (lib.quota, ASVS 12.1.3).
UPLOAD_QUOTA_MB = envint("UPLOAD_QUOTA_MB", 500, minimum=1)
UPLOAD_QUOTA_FILES = envint("UPLOAD_QUOTA_FILES", 500, minimum=1)
LOOKUP_PER_DAY = envint("LOOKUP_PER_DAY", 1500, minimum=1)

# `tsunagari security_alerts` reports, over its window: an account with this
# many failed sign-ins, this many across all accounts, a member of staff
# refused this many times (accounts.alerts).
ALERT_SIGN_IN_FAILURES = envint("ALERT_SIGN_IN_FAILURES", 5, minimum=1)
ALERT_SIGN_IN_FAILURES_TOTAL = envint("ALERT_SIGN_IN_FAILURES_TOTAL", 30, minimum=1)
ALERT_REFUSALS = envint("ALERT_REFUSALS", 10, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A permission refusal is logged as one line (who, path, reason), not a traceback.
    "filters": {"one_line_refusals": {"()": "tsunagari.lib.logs.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["one_line_refusals"]}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}
