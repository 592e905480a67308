"""Settings, every one of them from the environment (see .env.example).

The defaults make a safe local demo: SQLite in ./var, DEBUG off unless asked for, a generated secret key
only when DEBUG is on. Production sets ZHAOSHANG_SECRET_KEY, ZHAOSHANG_ALLOWED_HOSTS, DATABASE_URL and
ZHAOSHANG_SECURE=1, and `manage.py check --deploy` is then clean.
"""

from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from zhaoshang.envconf import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ZHAOSHANG_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("ZHAOSHANG_DEBUG", False)
SECRET_KEY = env_str("ZHAOSHANG_SECRET_KEY")
if not SECRET_KEY:
    if not env_bool("ZHAOSHANG_DEMO", True):
        raise ImproperlyConfigured("ZHAOSHANG_SECRET_KEY must be set outside the demo (ZHAOSHANG_DEMO=0)")
    # Demo only: a fixed, clearly-named key. Production refuses to start without its own key.
    SECRET_KEY = "demo-only-insecure-key-set-ZHAOSHANG_SECRET_KEY-in-production-0123456789"

ALLOWED_HOSTS = env_list("ZHAOSHANG_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("ZHAOSHANG_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "zhaoshang.core",
    "zhaoshang.org",
    "zhaoshang.audit",
    "zhaoshang.projects",
    "zhaoshang.reporting",
    "zhaoshang.progress",
    "zhaoshang.bulletins",
    "zhaoshang.sheets",
    "zhaoshang.construction",
    "zhaoshang.coordination",
    "zhaoshang.notifications",
    "zhaoshang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "zhaoshang.org.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhaoshang.urls"
WSGI_APPLICATION = "zhaoshang.wsgi.application"

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
                "zhaoshang.org.context_processors.roles",
                "zhaoshang.notifications.context_processors.unread",
            ],
        },
    },
]

# Database: SQLite (WAL) by default, anything dj-database-url understands via DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'zhaoshang.sqlite3'}"  # empty counts as unset
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("ZHAOSHANG_CONN_MAX_AGE", 60))}
# WAL lets pages read while a write is under way; temporary tables (an import's staged rows) stay in memory.
SQLITE_PRAGMAS = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": SQLITE_PRAGMAS, "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "zhaoshang.org.passwords.PasswordPolicyValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]

# 等保: five failed logins lock that account (by username, not by address) for 30 minutes.
AXES_FAILURE_LIMIT = env_int("ZHAOSHANG_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ZHAOSHANG_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Idle sessions end after 30 minutes: the cookie's age is renewed on every request.
SESSION_COOKIE_AGE = env_int("ZHAOSHANG_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("ZHAOSHANG_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("ZHAOSHANG_MANIFEST_STATIC", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Production hardening, all switched on together by ZHAOSHANG_SECURE=1 (behind TLS).
SECURE = env_bool("ZHAOSHANG_SECURE", False)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("ZHAOSHANG_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("ZHAOSHANG_HSTS_SECONDS", 31536000) if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("ZHAOSHANG_BEHIND_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True

DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000  # the monthly grid posts a few fields per project

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ZHAOSHANG_LOG_LEVEL", "WARNING")},
}

# Business settings.
# Used when the bureau has not entered the year's USD→CNY rate (万美元 → 万元 for 亿元以上).
DEFAULT_USD_RATE = env_str("ZHAOSHANG_DEFAULT_USD_RATE", "7.10")
try:
    if Decimal(DEFAULT_USD_RATE) <= 0:
        raise InvalidOperation
except InvalidOperation:
    raise ImproperlyConfigured(f"ZHAOSHANG_DEFAULT_USD_RATE={DEFAULT_USD_RATE!r}: expected a positive number") from None
PAGE_SIZE = env_int("ZHAOSHANG_PAGE_SIZE", 50)
# 调度 material: a signed project is due to start this many months after signing (the ledger has no planned
# start date), and a project with no stage change for this many months is listed as stalled.
START_DUE_MONTHS = env_int("ZHAOSHANG_START_DUE_MONTHS", 3)
STALL_MONTHS = env_int("ZHAOSHANG_STALL_MONTHS", 3)

# Imports: refuse a file over the size cap, a zip that inflates out of proportion, or too many rows, before
# parsing anything.
IMPORT_MAX_BYTES = env_int("ZHAOSHANG_IMPORT_MAX_MB", 20) * 1024 * 1024
IMPORT_MAX_UNCOMPRESSED = env_int("ZHAOSHANG_IMPORT_MAX_UNCOMPRESSED_MB", 400) * 1024 * 1024
IMPORT_MAX_RATIO = env_int("ZHAOSHANG_IMPORT_MAX_RATIO", 200)
IMPORT_MAX_ROWS = env_int("ZHAOSHANG_IMPORT_MAX_ROWS", 200000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Lockout is keyed by username on purpose (the issue and 等保 ask for the account to be locked); axes warns
# that this lets an attacker rotate addresses, which is exactly what keying by account withstands.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Reminders (send_reminders) and the optional group robots. A webhook left empty switches that robot off.
# The webhook URLs carry the robots' credentials (DingTalk's access_token, WeCom's key): keep them secret.
DINGTALK_WEBHOOK = env_str("ZHAOSHANG_DINGTALK_WEBHOOK")
DINGTALK_SECRET = env_str("ZHAOSHANG_DINGTALK_SECRET")  # the SEC… string of 加签; empty = unsigned
WECOM_WEBHOOK = env_str("ZHAOSHANG_WECOM_WEBHOOK")
ROBOT_TIMEOUT_SECONDS = env_int("ZHAOSHANG_ROBOT_TIMEOUT_SECONDS", 5)
REPORT_DEADLINE_DAY = env_int("ZHAOSHANG_REPORT_DEADLINE_DAY", 5)  # last month's 上报 is due by this day
for _name, _url in (("ZHAOSHANG_DINGTALK_WEBHOOK", DINGTALK_WEBHOOK), ("ZHAOSHANG_WECOM_WEBHOOK", WECOM_WEBHOOK)):
    if _url and not _url.lower().startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"{_name}: expected an https:// URL (the value holds a key, so it is not shown)")
if ROBOT_TIMEOUT_SECONDS <= 0:
    raise ImproperlyConfigured(f"ZHAOSHANG_ROBOT_TIMEOUT_SECONDS={ROBOT_TIMEOUT_SECONDS}: expected a positive number")
if not 1 <= REPORT_DEADLINE_DAY <= 28:
    raise ImproperlyConfigured(f"ZHAOSHANG_REPORT_DEADLINE_DAY={REPORT_DEADLINE_DAY}: expected a day from 1 to 28")
