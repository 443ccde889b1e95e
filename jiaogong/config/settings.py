"""jiaogong settings: one file, driven by the environment (see README "Configuration")."""

import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("JIAOGONG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    if key := os.environ.get("DJANGO_SECRET_KEY"):
        return key
    # A laptop install keeps its own random key under var/ so sessions survive restarts.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
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

# --- ops: the real server (`make run` = `manage.py serve`), its schedule, production settings ---
# Jobs the scheduler runs (`manage.py run_scheduler`, started by `manage.py serve`): (dotted path to a
# function taking no argument, "daily HH:MM" local time | "every N minutes"). Adding a job is one line.
JIAOGONG_SCHEDULE = [
    ("jiaogong.notifications.tasks.enqueue_daily_reminders", "daily 07:00"),
]
LOGGING["loggers"] = {"jiaogong.scheduler": {"level": "INFO"}}
