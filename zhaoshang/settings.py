"""Settings, every one of them from the environment (see .env.example).

The defaults make a safe local demo: SQLite in ./var, DEBUG off unless asked for, the demo's public secret
key only when DEBUG or ZHAOSHANG_DEMO=1 asks for it. Production sets ZHAOSHANG_SECRET_KEY,
ZHAOSHANG_ALLOWED_HOSTS, DATABASE_URL and ZHAOSHANG_SECURE=1, and `manage.py check --deploy` is then clean.
"""

from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from zhaoshang.envconf import env_bool, env_cache, env_evidence_storage, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ZHAOSHANG_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("ZHAOSHANG_DEBUG", False)
# The demo's key is public (it is written below): whoever knows it can forge a session for any account. It is
# used only when asked for, by ZHAOSHANG_DEMO=1 or by debug mode (make run), and then every `manage.py` command
# warns (core/checks.py). Anything else without ZHAOSHANG_SECRET_KEY refuses to start.
DEMO = env_bool("ZHAOSHANG_DEMO", DEBUG)
DEMO_SECRET_KEY = "demo-only-insecure-key-set-ZHAOSHANG_SECRET_KEY-in-production-0123456789"
SECRET_KEY = env_str("ZHAOSHANG_SECRET_KEY")
if not SECRET_KEY:
    if not DEMO:
        raise ImproperlyConfigured(
            "ZHAOSHANG_SECRET_KEY is not set: set it to a long random string (production), "
            "or ZHAOSHANG_DEMO=1 to run the local demo with its public key"
        )
    SECRET_KEY = DEMO_SECRET_KEY

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
    "django_tasks",
    "django_tasks_db",
    "zhaoshang.core",
    "zhaoshang.org",
    "zhaoshang.audit",
    "zhaoshang.closing",
    "zhaoshang.chains",
    "zhaoshang.projects",
    "zhaoshang.frontline",
    "zhaoshang.industry",
    "zhaoshang.carriers",
    "zhaoshang.reporting",
    "zhaoshang.progress",
    "zhaoshang.bulletins",
    "zhaoshang.observation",
    "zhaoshang.outreach",
    "zhaoshang.assessment",
    "zhaoshang.honours",
    "zhaoshang.sheets",
    "zhaoshang.construction",
    "zhaoshang.coordination",
    "zhaoshang.evidence",
    "zhaoshang.verification",
    "zhaoshang.quality",
    "zhaoshang.notifications",
    "zhaoshang.downloads",
    "zhaoshang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The request's address, for audit.record() and the login throttle (core/client.py).
    "zhaoshang.core.client.ClientAddressMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zhaoshang.org.sessions.IdleSessionRenewalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "zhaoshang.org.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After WhiteNoise, so static files keep their own cache headers; every other answer gets CSP and no-store.
    "zhaoshang.core.headers.SecurityHeadersMiddleware",
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
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql") and not env_bool("ZHAOSHANG_PG_JIT"):
    # PostgreSQL's JIT compiles the costlier aggregate queries (the key projects behind plan, the meetings' material)
    # and at a city's scale spends 100–300 ms compiling to save less: EXPLAIN ANALYZE shows it as "JIT … Emission".
    # Off for our connections unless ZHAOSHANG_PG_JIT=1.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The dashboard's and the draft bulletin's figures, keyed by the data's version (org/versions.py): locmem:// by
# default (per worker), redis://… to share them between workers, dummy:// to switch the cache off.
CACHES = {"default": env_cache("ZHAOSHANG_CACHE_URL")}

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
    {"NAME": "zhaoshang.org.passwords.CommonPasswordValidator"},
    {"NAME": "zhaoshang.org.passwords.SimilarityValidator"},
]

# 等保 login throttling (org/lockout.py): five failures lock that account from that address for 30 minutes;
# 30 failures from one address, over any accounts, lock the address for every account. Keyed by address too, so
# a stranger's failures cannot lock an account out everywhere.
AXES_FAILURE_LIMIT = env_int("ZHAOSHANG_LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("ZHAOSHANG_LOGIN_ADDRESS_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ZHAOSHANG_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "zhaoshang.org.lockout.LoginThrottle"
AXES_LOCKOUT_CALLABLE = "zhaoshang.org.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "zhaoshang.core.client.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
for _name, _limit in (
    ("ZHAOSHANG_LOGIN_FAILURE_LIMIT", AXES_FAILURE_LIMIT),
    ("ZHAOSHANG_LOGIN_ADDRESS_FAILURE_LIMIT", LOGIN_ADDRESS_FAILURE_LIMIT),
):
    if _limit < 1:
        raise ImproperlyConfigured(f"{_name}={_limit}: expected a positive number")

# Idle sessions end after 30 minutes: the cookie's age is renewed on every request.
SESSION_COOKIE_AGE = env_int("ZHAOSHANG_SESSION_IDLE_MINUTES", 30) * 60
# Idle sign-out: the expiry moves with each request, written at most once a minute (org/sessions.py).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = 60
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
    # 佐证材料 (evidence/models.py): set below, once MEDIA_ROOT is known (envconf.env_evidence_storage).
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
# Behind a reverse proxy: trust its X-Forwarded-Proto, and take the client's address from the last
# X-Forwarded-For entry the proxy appended (core/client.py), never from what the client sent.
BEHIND_PROXY = env_bool("ZHAOSHANG_BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
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
# The monthly grid's rows a page (a unit of a thousand projects was an 885 KB page); the 合计 row counts them all.
GRID_PAGE_SIZE = env_int("ZHAOSHANG_GRID_PAGE_SIZE", 100)
# A list export longer than this many rows is made in the background (downloads app) and the user notified with
# its link; the file is kept this many days, for that user only.
EXPORT_BACKGROUND_ROWS = env_int("ZHAOSHANG_EXPORT_BACKGROUND_ROWS", 20000)
DOWNLOAD_RETENTION_DAYS = env_int("ZHAOSHANG_DOWNLOAD_RETENTION_DAYS", 7)
DOWNLOADS_DIR = VAR_DIR / "downloads"  # shared by the app processes and the worker (one machine, or a shared disk)
# Uploaded files (the carriers' photos), through Django's default storage. No MEDIA_URL: they are never served as
# public files, only by views that check the reader's scope (carriers/views.py). Inside the var directory, so the
# backup keeps them.
MEDIA_ROOT = VAR_DIR / "media"
CARRIER_PHOTO_MAX_BYTES = env_int("ZHAOSHANG_CARRIER_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
CARRIER_PHOTO_MAX_COUNT = env_int("ZHAOSHANG_CARRIER_PHOTO_MAX_COUNT", 12)
# 佐证材料 (the evidence app): MEDIA_ROOT's disk, or an S3-compatible store when ZHAOSHANG_EVIDENCE_S3_BUCKET is set;
# never given a public URL (the evidence view streams each file after a scope check). The cap on one file.
STORAGES["evidence"] = env_evidence_storage(MEDIA_ROOT)
EVIDENCE_MAX_BYTES = env_int("ZHAOSHANG_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
# The job runner (django-tasks): "database" queues jobs in the database for `manage.py db_worker` (the default on
# PostgreSQL: run the worker beside gunicorn, docs/deploy.md); "immediate" runs each job at once in the request
# (the default on SQLite, and in the tests).
TASKS_RUNNER = env_str(
    "ZHAOSHANG_TASKS", "immediate" if DATABASES["default"]["ENGINE"].endswith("sqlite3") else "database"
)
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if TASKS_RUNNER not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"ZHAOSHANG_TASKS={TASKS_RUNNER!r}: expected one of {', '.join(_TASK_BACKENDS)}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_RUNNER]}}
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
# The first sheet's extent (declared and actual) past these is refused before it is built; then it is read in a
# child process with this much memory and time, so that no file can end a worker.
IMPORT_MAX_COLUMNS = env_int("ZHAOSHANG_IMPORT_MAX_COLUMNS", 200)
IMPORT_MAX_CELLS = env_int("ZHAOSHANG_IMPORT_MAX_CELLS", 5000000)
IMPORT_PARSE_MB = env_int("ZHAOSHANG_IMPORT_PARSE_MB", 1024)
IMPORT_PARSE_SECONDS = env_int("ZHAOSHANG_IMPORT_PARSE_SECONDS", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

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
