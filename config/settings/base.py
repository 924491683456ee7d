"""Settings shared by every environment; every secret and address comes from the environment.

Defaults make a fresh laptop work with nothing running: a SQLite file under ``var/``, an
in-memory channel layer and a Celery broker on the filesystem. Setting ``DATABASE_URL`` and
``REDIS_URL`` switches to PostgreSQL, channels-redis and Celery on Redis.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

VAR_DIR = Path(env("BRIDGEWORK_VAR_DIR", default=str(BASE_DIR / "var")))
# The SQLite file, the filesystem broker and generated reports live here on a laptop.
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "django_htmx",
    "ops",
    "events",
    "cafes",
    "harvest",
    "openspace",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

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

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'bridgework.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process and the Celery worker write to the same file: WAL lets readers go on
    # while one writes, IMMEDIATE transactions avoid "database is locked" on upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DATABASE_POOL", default=True
):
    # Every websocket frame runs its database work in its own ``database_sync_to_async``
    # call, which closes the connection afterwards; without a pool each frame paid for a
    # new PostgreSQL connection (see docs/benchmarks.md). Django's docs advise a pool, not
    # CONN_MAX_AGE, under ASGI. ``DATABASE_POOL_MAX`` bounds the connections per process.
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": env.int("DATABASE_POOL_MIN", default=1),
            "max_size": env.int("DATABASE_POOL_MAX", default=10),
            "timeout": env.float("DATABASE_POOL_TIMEOUT", default=10),
        }
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer, Celery broker, cache ------------------------------------------
REDIS_URL = env("REDIS_URL", default="")

# The channel layer only rings doorbells; the database is the source of truth, so a lost
# message costs a database read, never a note. Redis pub/sub (the default) publishes a group
# message once and each server process fans it out to its own sockets; the list-based layer
# ("core") pops every message of every socket with its own Redis round trip, which was the
# limit of a busy server (docs/benchmarks.md). ``CHANNEL_LAYER=core`` selects it.
CHANNEL_LAYER = env("CHANNEL_LAYER", default="pubsub")
if REDIS_URL and CHANNEL_LAYER == "pubsub":
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": env("CHANNEL_LAYER_PREFIX", default="bridgework"),
            },
        }
    }
elif REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py 8 caps an asyncio pool at 100 connections and raises past it;
                # a busy server needs one per concurrent group operation.
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "max_connections": env.int("CHANNEL_LAYER_MAX_CONNECTIONS", default=2000),
                    }
                ],
                "prefix": env("CHANNEL_LAYER_PREFIX", default="bridgework"),
                # A busy table must not drop news; the database resync covers what is lost
                # (tests shrink these to make a slow client overflow quickly).
                "capacity": env.int("CHANNEL_LAYER_CAPACITY", default=1500),
                "expiry": env.int("CHANNEL_LAYER_EXPIRY", default=30),
            },
        }
    }
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_PREFIX", default="bridgework"),
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_FOLDER = VAR_DIR / "celery-broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Longer than the longest task (a 100,000-note report), so Redis never hands a running
        # task to a second worker. Integration tests shorten it to see a killed worker's task
        # handed on within seconds.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=4 * 3600),
        # A worker looks for such abandoned tasks every interval x throttle seconds.
        "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
        "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
    }
else:
    # A host name, or kombu warns on every connection that it "reverts to localhost".
    CELERY_BROKER_URL = "filesystem://localhost//"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER),
        "data_folder_out": str(CELERY_BROKER_FOLDER),
        "processed_folder": str(VAR_DIR / "celery-processed"),
        "store_processed": False,
        # Broadcast (pidbox) messages; kombu's default is ./control in the working directory.
        "control_folder": str(VAR_DIR / "celery-control"),
    }
    # kombu's filesystem transport needs its folder before the first message.
    CELERY_BROKER_FOLDER.mkdir(parents=True, exist_ok=True)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict = {
    # Retention: each series keeps participants' data for its ``retention_days``.
    "purge-expired-participant-data": {
        "task": "events.tasks.purge_expired_participant_data",
        "schedule": crontab(hour=3, minute=17),
    },
}

# --- Auth ----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# (attempts, seconds) per client address and key, see ops/throttle.py. Joining counts every
# attempt per event, and is generous: a whole venue may share one address.
RATE_LIMITS = {
    "login": (env.int("RATE_LIMIT_LOGIN", default=10), 600),
    "join": (env.int("RATE_LIMIT_JOIN", default=100), 600),
    "join_code": (env.int("RATE_LIMIT_JOIN_CODE", default=20), 600),
}
# Proxies (addresses or networks) whose X-Forwarded-For is believed, right to left
# (ops/throttle.py). Empty: the connection's own address counts, whatever the header says.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# Everyone who signs in is staff: their home is the staff home, /manage/ (a safe ``next`` wins).
LOGIN_REDIRECT_URL = "events:series_list"
LOGOUT_REDIRECT_URL = "home"

# --- i18n ------------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Email -----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# A mail server that hangs must not hold a worker (and the letter's row lock) for ever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Bridgework <noreply@bridgework.local>")

# --- Security headers that hold everywhere ---------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self' ws: wss:; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'; object-src 'none'"
)

# --- Live café ---------------------------------------------------------------------------------
# A socket that sends nothing, not even a ping, for this long is closed and its presence
# cleared (the reference client pings every 25 s). Tests shorten it.
CAFES_HEARTBEAT_TIMEOUT = env.float("CAFES_HEARTBEAT_TIMEOUT", default=45)
# The consoles' overview of every table is read and sent at most once per this many seconds
# (cafes/live/overview.py), whatever the number of tables and consoles.
CAFES_OVERVIEW_SECONDS = env.float("CAFES_OVERVIEW_SECONDS", default=1.0)

# How draft themes are found (docs/harvest.md): "minilm" (sentence embeddings of the model
# `make` installs), "lexical" (TF-IDF, no model), or "auto" (minilm when installed).
HARVEST_THEMING = env("HARVEST_THEMING", default="auto")
if HARVEST_THEMING not in {"auto", "minilm", "lexical"}:
    raise ValueError(f"HARVEST_THEMING must be auto, minilm or lexical, not {HARVEST_THEMING!r}")

# The public address used in invitation emails and QR codes.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.channels.server": {"level": "WARNING"},
        # WeasyPrint logs every layout step at INFO; only its warnings matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
