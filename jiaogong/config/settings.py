"""jiaogong settings: one file, driven by the environment (see README "Configuration")."""

import contextlib
import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("JIAOGONG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def _secret_key(var_dir: Path = VAR_DIR) -> str:
    if key := os.environ.get("DJANGO_SECRET_KEY"):
        return key
    # A laptop install keeps its own random key under var/ so sessions survive restarts. The key is
    # written whole to a private temporary file (mkstemp: O_CREAT|O_EXCL, mode 0600) and then linked
    # into place, which fails if the file exists: of processes starting at once the first one wins,
    # and every one reads the same complete key.
    var_dir.mkdir(parents=True, exist_ok=True)
    path = var_dir / "secret_key"
    if not path.exists():
        fd, tmp = tempfile.mkstemp(dir=var_dir, prefix=".secret_key.")
        try:
            os.write(fd, secrets.token_urlsafe(50).encode())
            os.fsync(fd)
            os.close(fd)
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DJANGO_DEBUG")
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "jiaogong.core",
    "jiaogong.accounts",
    "jiaogong.members",
    "jiaogong.congress",
    "jiaogong.funds",
    "jiaogong.donations",
    "jiaogong.welfare",
    "jiaogong.hardship",
    "jiaogong.notifications",
    "jiaogong.rights",
    "jiaogong.checkups",
    "jiaogong.mutual_aid",
    "jiaogong.recuperation",
    "jiaogong.activities",
    "jiaogong.plans",
    "jiaogong.competitions",
    "jiaogong.clubs",
    "jiaogong.study",
    "jiaogong.reports",
    "jiaogong.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jiaogong.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "jiaogong.config.urls"
WSGI_APPLICATION = "jiaogong.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "jiaogong" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jiaogong.core.context_processors.navigation",
                "jiaogong.notifications.context_processors.unread",
            ],
        },
    },
]


def _database(url: str) -> dict:
    """DATABASE_URL: sqlite:///path or postgres://user:pass@host:port/name."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:///relative/path or sqlite:////absolute/path
        return _sqlite(unquote(parsed.path[1:]))
    if parsed.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
            "TEST": {"NAME": os.environ.get("DATABASE_TEST_NAME") or None},
            # Django binds parameters on the client, which never prepares; this lets the one
            # statement that asks for it (a ballot, congress/voting.py) be prepared on the server.
            "OPTIONS": {"prepare_threshold": 5},
        }
    raise ValueError(f"DATABASE_URL scheme not supported: {parsed.scheme}")


def _sqlite_synchronous(value: str) -> str:
    value = value.strip().upper()
    if value not in {"NORMAL", "FULL", "EXTRA"}:
        raise ValueError(f"JIAOGONG_SQLITE_SYNCHRONOUS must be NORMAL, FULL or EXTRA, not {value!r}")
    return value


def _sqlite(name) -> dict:
    return {
        "ENGINE": "jiaogong.core.sqlite",
        "NAME": str(name),
        "CONN_MAX_AGE": int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        "OPTIONS": {
            # IMMEDIATE + WAL: concurrent writers wait for the lock instead of failing
            # with "database is locked" (votes must never be lost to a lock).
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # NORMAL: durable across a crash of the server; a power cut may lose the last
            # commits before a checkpoint. FULL syncs every commit (about a quarter fewer
            # ballots per second on the benchmark machine): README, "Deployment".
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous="
            + _sqlite_synchronous(os.environ.get("JIAOGONG_SQLITE_SYNCHRONOUS", "NORMAL"))
            + ";",
        },
        # Tests run on a file, as production does: an in-memory database shared between threads
        # fails concurrent writers with "table is locked" instead of letting them wait.
        "TEST": {
            "NAME": os.environ.get("DATABASE_TEST_NAME")
            or str(Path(tempfile.gettempdir()) / f"jiaogong-test-{os.getpid()}.sqlite3")
        },
    }


if db_url := os.environ.get("DATABASE_URL"):
    DATABASES = {"default": _database(db_url)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {"default": _sqlite(VAR_DIR / "jiaogong.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["jiaogong.accounts.backends.UsernameOrPhoneBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: this many failures for one account or one address within the window
# lock further attempts until the window has passed.
LOGIN_MAX_FAILURES = int(os.environ.get("JIAOGONG_LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCK_MINUTES = int(os.environ.get("JIAOGONG_LOGIN_LOCK_MINUTES", "15"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = os.environ.get("JIAOGONG_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
# WhiteNoise expects STATIC_ROOT to exist (it warns otherwise), even before the first collectstatic.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
# Production (gunicorn) sets DJANGO_STATIC_MANIFEST=1 after `collectstatic` for hashed, cached names;
# otherwise whitenoise serves the app's static files straight from the packages (no collectstatic).
STATIC_MANIFEST = env_bool("DJANGO_STATIC_MANIFEST")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

# Uploads: a roster is small; anything much larger is refused before it is parsed.
IMPORT_MAX_BYTES = int(os.environ.get("JIAOGONG_IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES")
CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES")

# Background tasks (django-tasks): the database backend, run by `manage.py db_worker` (`make worker`).
# The daily reminders are enqueued by cron with `manage.py enqueue_daily_reminders` (README, "Deployment").
TASKS = {
    "default": {
        "BACKEND": os.environ.get("JIAOGONG_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# E-mail (reminders): SMTP when EMAIL_HOST is set, else printed to the console (a laptop install).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "教工之家 <noreply@localhost>")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = EMAIL_HOST or "localhost"
# The address the links in e-mails start with.
JIAOGONG_SITE_URL = os.environ.get("JIAOGONG_SITE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JIAOGONG_LOG_LEVEL", "WARNING")},
}


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
    if value < 1:
        raise ValueError(f"{name} must be at least 1, not {value}")
    return value


# --- login (client address, login throttling, API tokens, password rules) ---
# The proxies (nginx) whose X-Forwarded-For is believed: comma-separated addresses or networks,
# e.g. "127.0.0.1,10.0.0.0/8". Empty (the default): the peer address (REMOTE_ADDR) is the client.
# A request from any other peer has its X-Forwarded-For ignored (a client can write anything there).
def _trusted_proxies(value: str) -> list[str]:
    import ipaddress

    networks = []
    for part in (p.strip() for p in value.split(",")):
        if not part:
            continue
        try:
            networks.append(str(ipaddress.ip_network(part, strict=False)))
        except ValueError:
            raise ValueError(f"JIAOGONG_TRUSTED_PROXIES: not an address or network: {part!r}") from None
    return networks


JIAOGONG_TRUSTED_PROXIES = _trusted_proxies(os.environ.get("JIAOGONG_TRUSTED_PROXIES", ""))
# Throttling (accounts/throttle.py, README "Security"): LOGIN_MAX_FAILURES (above) failures of one
# account from one address, or of one account from addresses it has never logged in from, lock
# that; this many failures from one address against accounts not known there lock the address
# for those accounts only. An address is "known" for an account for LOGIN_KNOWN_ADDRESS_DAYS
# after a successful login from it.
LOGIN_MAX_FAILURES_PER_ADDRESS = _positive_int("JIAOGONG_LOGIN_MAX_FAILURES_PER_ADDRESS", 20)
LOGIN_KNOWN_ADDRESS_DAYS = _positive_int("JIAOGONG_LOGIN_KNOWN_ADDRESS_DAYS", 90)
# An API token stops working this many days after it was issued (and at any password change).
API_TOKEN_DAYS = _positive_int("JIAOGONG_API_TOKEN_DAYS", 90)
# Password rules in Chinese (accounts/passwords.py): these replace Django's English validators.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "jiaogong.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "jiaogong.accounts.passwords.NotLikeAccountValidator"},
    {"NAME": "jiaogong.accounts.passwords.NotBlankLikeValidator"},
    {"NAME": "jiaogong.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "jiaogong.accounts.passwords.NumericPasswordValidator"},
]


# --- backup (operations: /healthz, backups and restore; README "备份与恢复 / Backups") ---


# `manage.py backup` writes here by default; the daily backup keeps the newest JIAOGONG_BACKUP_KEEP.
JIAOGONG_BACKUP_DIR = Path(os.environ.get("JIAOGONG_BACKUP_DIR", VAR_DIR / "backups"))
JIAOGONG_BACKUP_KEEP = _positive_int("JIAOGONG_BACKUP_KEEP", 14)
# /healthz: the worker is down when its last heartbeat is older than this (seconds); the
# scheduler enqueues a heartbeat every minute (jiaogong.core.ops.enqueue_heartbeat).
JIAOGONG_HEALTH_HEARTBEAT_MAX_AGE = _positive_int("JIAOGONG_HEALTH_HEARTBEAT_MAX_AGE", 300)
# /healthz: the disk is short when less than this many bytes are free where the database,
# the uploads or the backups are written.
JIAOGONG_HEALTH_MIN_FREE_BYTES = _positive_int("JIAOGONG_HEALTH_MIN_FREE_BYTES", 1024**3)


# --- input: bad input gets a Chinese error and writes nothing (core/limits.py, core/uploads.py) ---
# Request bodies are refused from their Content-Length (or a capped read) before they are parsed:
# 413 in the API's error shape under /api/, a Chinese page elsewhere.
API_MAX_BODY_BYTES = int(os.environ.get("JIAOGONG_API_MAX_BODY_BYTES", str(1024 * 1024)))
WEB_MAX_BODY_BYTES = int(os.environ.get("JIAOGONG_WEB_MAX_BODY_BYTES", str(2 * 1024 * 1024)))
# A multipart request: the largest upload kind (20 MB, core/uploads.py) plus the form around it.
UPLOAD_MAX_REQUEST_BYTES = int(os.environ.get("JIAOGONG_UPLOAD_MAX_REQUEST_BYTES", str(21 * 1024 * 1024)))
MIDDLEWARE.insert(1, "jiaogong.core.limits.RequestSizeLimit")  # right after SecurityMiddleware
# Web forms: control characters dropped from every submitted text (the API refuses them instead).
MIDDLEWARE.insert(2, "jiaogong.core.limits.CleanFormText")


# --- ops: the real server (`make run` = `manage.py serve`), its schedule, production settings ---
# Jobs the scheduler runs (`manage.py run_scheduler`, started by `manage.py serve`): (dotted path to a
# function taking no argument, "daily HH:MM" local time | "every N minutes"). Adding a job is one line.
JIAOGONG_SCHEDULE = [
    ("jiaogong.notifications.tasks.enqueue_daily_reminders", "daily 07:00"),
    ("jiaogong.congress.proposals.remind_overdue", "daily 07:00"),  # 催办 overdue proposal replies
    ("jiaogong.core.ops.enqueue_heartbeat", "every 1 minute"),  # /healthz: the worker is alive
    ("jiaogong.core.ops.daily_backup", "daily 02:30"),  # var/backups, the newest 14 kept
    ("jiaogong.members.pseudonymise.run_daily", "daily 03:00"),  # PIPL: departed members' data
]
LOGGING["loggers"] = {"jiaogong.scheduler": {"level": "INFO"}}

# Production: JIAOGONG_SITE_URL (the address users type) gives the allowed host, the trusted origin
# for CSRF and, when it is https, secure cookies, the redirect to https and HSTS. Behind nginx (or
# any proxy that terminates TLS and sets X-Forwarded-Proto) set JIAOGONG_BEHIND_PROXY=1.
# `manage.py check --deploy` passes with the variables of README "Production variables".
_site = urlparse(JIAOGONG_SITE_URL)
if _site.scheme not in {"http", "https"} or not _site.hostname:
    raise ValueError(f"JIAOGONG_SITE_URL must be http(s)://host[:port], not {JIAOGONG_SITE_URL!r}")
SITE_IS_HTTPS = _site.scheme == "https"
if _site.hostname not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(_site.hostname)
if SITE_IS_HTTPS and f"https://{_site.netloc}" not in CSRF_TRUSTED_ORIGINS:
    CSRF_TRUSTED_ORIGINS.append(f"https://{_site.netloc}")
if env_bool("JIAOGONG_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE or SITE_IS_HTTPS
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", SITE_IS_HTTPS)
# HSTS only for an https site: a year, subdomains included; preloading is a separate, lasting promise
# (hstspreload.org) a school decides on: JIAOGONG_HSTS_PRELOAD=1.
SECURE_HSTS_SECONDS = int(os.environ.get("JIAOGONG_HSTS_SECONDS", "31536000" if SITE_IS_HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("JIAOGONG_HSTS_INCLUDE_SUBDOMAINS", SITE_IS_HTTPS)
SECURE_HSTS_PRELOAD = env_bool("JIAOGONG_HSTS_PRELOAD")
if SECURE_HSTS_SECONDS and not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]  # preloading is opt-in (above), not an oversight
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Browsers ignore (and complain about) COOP on plain http, as on the school network.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin" if SITE_IS_HTTPS else None
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts only from this server's files — no inline script, no
# on...= handler (core/tests/test_csp.py scans every template), no eval. Styles still allow inline
# `style=` attributes and a few <style> blocks in templates.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
