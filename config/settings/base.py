"""Settings shared by every environment; secrets and the database come from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # search (search.models): full text and trigrams on PostgreSQL
    "taggit",
    "ninja",  # the read API's documentation page, served from these static files
    "corsheaders",
    "import_export",
    "simple_history",
    "axes",
    "sources",
    "essays",
    "review",
    "publishing",
    "spreadsheets",
    "demo",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a clear 429 page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"

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
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# One variable picks the database: a SQLite file unless DATABASE_URL names another.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction starts and wait for it, instead of failing
    # with "database is locked" when two editors save at once.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers and crawlers ask for at the site root (/favicon.ico), served by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "public_root"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

TAGGIT_CASE_INSENSITIVE = True
# Revisions are for browsing and comparing; restoring one would bypass the workflow services.
SIMPLE_HISTORY_REVERT_DISABLED = True

# No inline script anywhere, admin included; JSON-LD data blocks are not scripts to CSP.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Admin login throttling (django-axes): the lock is kept in the database, so it holds
# across every app server behind the load balancer.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Whose address a login failure counts against (django-axes, through django-ipware). With
# AXES_PROXY_COUNT trusted proxies in front of the app, each appending the address it saw
# to X-Forwarded-For, the client is the entry the outermost one appended: the
# AXES_PROXY_COUNT-th from the right. Entries left of it are whatever the client sent and
# are never read, so a forged header can neither pick another user's lock nor escape its
# own. Without proxies the header is ignored and REMOTE_ADDR counts.
TRUSTED_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    # ipware counts the proxies listed inside the header: all but the nearest one, whose
    # address is REMOTE_ADDR. Not strict: more entries than that (a client's own
    # X-Forwarded-For) are allowed, and the ones on the left are skipped.
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1
    AXES_IPWARE_PROXY_ORDER = "left-most"
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# The read API (publishing.api): any site may read it from a browser (GET only, never
# with cookies), and each client may make COUNTERPOINT_API_RATE requests ("120/m"),
# counted against the address the outermost trusted proxy saw.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Retry-After")
NINJA_NUM_PROXIES = TRUSTED_PROXY_COUNT
COUNTERPOINT_API_RATE = os.environ.get("COUNTERPOINT_API_RATE", "120/m")

# Django's cache: Redis when REDIS_URL is set (shared by every app server: sessions'
# throttling, the app's copies of rendered public pages), else this process's memory.
# Either is correct for pages: their keys carry the public generation, read from the
# database on every request (publishing.caching).
if os.environ.get("REDIS_URL"):
    redis_timeout = float(os.environ.get("REDIS_TIMEOUT", "2"))
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "counterpoint"),
            # A Redis that stops answering must fail a call, not hang the request: the
            # page is then built from the database (publishing.caching).
            "OPTIONS": {
                "socket_connect_timeout": redis_timeout,
                "socket_timeout": redis_timeout,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Counterpoint's own knobs.
COUNTERPOINT_IMPORT_MAX_BYTES = int(
    os.environ.get("COUNTERPOINT_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
)
# The public site's own address, for canonical links and structured data rendered at
# publish time (there is no request to take it from then).
COUNTERPOINT_SITE_URL = os.environ.get(
    "COUNTERPOINT_SITE_URL",
    os.environ.get("COUNTERPOINT_ORG_URL", "https://counterpoint.example.org/"),
)
# The app's own copies of rendered public pages (claim, sources, lists, feeds): which
# Django cache, and for how long (a publish changes every key, so this only frees memory).
COUNTERPOINT_PAGE_CACHE = "default"
COUNTERPOINT_PAGE_CACHE_SECONDS = int(os.environ.get("COUNTERPOINT_PAGE_CACHE_SECONDS", 24 * 3600))
# HTTP caching of public pages (docs/deploy.md): how long a shared cache (the reverse
# proxy, a CDN) may keep a page without asking, and serve it stale while it asks again.
# Browsers always revalidate (ETag, 304). A publish purges the front caches listed here.
COUNTERPOINT_SHARED_CACHE_SECONDS = int(os.environ.get("COUNTERPOINT_SHARED_CACHE_SECONDS", 600))
COUNTERPOINT_STALE_SECONDS = int(os.environ.get("COUNTERPOINT_STALE_SECONDS", 30))
COUNTERPOINT_FRONT_CACHES = [
    url.strip() for url in os.environ.get("COUNTERPOINT_FRONT_CACHES", "").split(",") if url.strip()
]
COUNTERPOINT_PURGE_TIMEOUT = float(os.environ.get("COUNTERPOINT_PURGE_TIMEOUT", "2"))
# Spreadsheet imports (django-import-export); see docs/spreadsheets.md.
COUNTERPOINT_IMPORT_MAX_ROWS = int(os.environ.get("COUNTERPOINT_IMPORT_MAX_ROWS", 5000))
COUNTERPOINT_IMPORT_MAX_CELLS = int(os.environ.get("COUNTERPOINT_IMPORT_MAX_CELLS", 200_000))
# An XLSX is a zip: what it may unpack to (a tiny file can hold millions of rows).
COUNTERPOINT_IMPORT_MAX_UNZIPPED_BYTES = int(
    os.environ.get("COUNTERPOINT_IMPORT_MAX_UNZIPPED_BYTES", 100 * 1024 * 1024)
)
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Per-model permissions import_<model> / export_<model>, granted to roles in review/roles.py.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
# Off on purpose: the built-in escaping deletes a leading "=" (losing data) and ignores
# + - @ tab CR. spreadsheets.formats escapes all of them reversibly instead.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True
# The upload is kept between the preview and the confirmation in the cache, which every
# app server shares in production (a temporary file would exist on one server only).
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"
COUNTERPOINT_ORGANISATION = {
    "name": os.environ.get("COUNTERPOINT_ORG_NAME", "Counterpoint"),
    "url": os.environ.get("COUNTERPOINT_ORG_URL", "https://counterpoint.example.org/"),
}

# Source documents (sources.SourceDocument): the original bytes live in the default
# storage, under source-documents/. On one machine that is MEDIA_ROOT; with several app
# servers use a shared S3-compatible bucket (docs/quote-check.md). The files are never
# served publicly: MEDIA_URL is not routed.
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media"))
# Fetching a source's document from its URL (sources.fetching): limits of one fetch.
COUNTERPOINT_FETCH_MAX_BYTES = int(os.environ.get("COUNTERPOINT_FETCH_MAX_BYTES", 20 * 1024 * 1024))
COUNTERPOINT_FETCH_CONNECT_TIMEOUT = float(os.environ.get("COUNTERPOINT_FETCH_CONNECT_TIMEOUT", 5))
COUNTERPOINT_FETCH_READ_TIMEOUT = float(os.environ.get("COUNTERPOINT_FETCH_READ_TIMEOUT", 10))
COUNTERPOINT_FETCH_TOTAL_TIMEOUT = float(os.environ.get("COUNTERPOINT_FETCH_TOTAL_TIMEOUT", 30))
COUNTERPOINT_FETCH_MAX_REDIRECTS = int(os.environ.get("COUNTERPOINT_FETCH_MAX_REDIRECTS", 5))
# TEST ONLY. IP addresses the fetcher may connect to although they are not public, so
# tests can run it against a server on 127.0.0.1. Never set it in production: every
# address listed here becomes reachable from an editor's URL. Not read from the environment.
COUNTERPOINT_FETCH_ALLOWED_ADDRESSES: list[str] = []
