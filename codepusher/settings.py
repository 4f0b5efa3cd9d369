"""CodePusher settings, read from environment variables with embedded defaults (12-factor).

Every variable is documented in README.md ("Settings"). The defaults run the whole site on one
machine: a SQLite file, a Whoosh index on disk, Redis on 127.0.0.1:6379 and the local Docker engine.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from codepusher.secret_key import secret_key_load_or_create

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CODEPUSHER_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# PRODUCTION=1 is the documented production mode (README "Security", docs/deploy.md): it refuses
# to start without SECRET_KEY and ALLOWED_HOSTS, never runs DEBUG, and serves over HTTPS only.
PRODUCTION = env_bool("PRODUCTION", False)
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if PRODUCTION:
    missing = [name for name in ("SECRET_KEY", "ALLOWED_HOSTS") if not os.environ.get(name)]
    if missing or DEBUG:
        raise ImproperlyConfigured(
            f"PRODUCTION=1 needs {' and '.join(missing)} set"
            if missing
            else "PRODUCTION=1 refuses DEBUG=1"
        )
elif not SECRET_KEY:
    # Zero configuration without a published key: a random one made once in the data folder.
    SECRET_KEY = secret_key_load_or_create(VAR_DIR / "secret_key")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --- HTTPS, also behind a TLS-terminating proxy ------------------------------------------------
# TRUST_X_FORWARDED_PROTO=1: the proxy in front sets X-Forwarded-Proto, so a request it received
# over TLS counts as secure (cookies, redirects, and https:// invite links).
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
HTTPS_ONLY = env_bool("HTTPS_ONLY", PRODUCTION)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_SSL_REDIRECT = HTTPS_ONLY
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS_ONLY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS_ONLY)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS_ONLY)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (codepusher/csp.py): 'self' and a nonce per response; the API docs page
# also loads Swagger UI from its CDN.
CSP_PATH_SOURCES = {"/api/docs/": "https://cdn.jsdelivr.net"}

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "channels",
    "haystack",
    "codepusher",
    "challenges",
    "sessions_app",
    "chat",
    "execution",
    "calls",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "codepusher.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "codepusher.urls"

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
                "codepusher.csp.csp_nonce",
            ],
        },
    },
]

WSGI_APPLICATION = "codepusher.wsgi.application"
ASGI_APPLICATION = "codepusher.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'codepusher.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process, daphne and the Celery worker read while one writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    # A file, not memory, so the test suite's daphne and Celery subprocesses share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-codepusher.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_POOL", True
):
    # Under ASGI each request, and each consumer's database call, may run in a thread of its
    # own: without a pool every one of them opens a connection (the editor's ack p50 goes from
    # ~5 to ~27 ms, docs/benchmarks.md), and persistent connections would pile up per thread.
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # closing a pooled connection returns it
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": env_int("DATABASE_POOL_MAX_SIZE", 10),
        "timeout": 10,
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- Redis, Channels, Celery -------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            # redis-py 8 reads with a 5 s socket timeout by default, the same 5 s channels_redis
            # blocks in BZPOPMIN: under load the read times out first and the consumer dies
            # (close 1011). Longer than the block, so a dead connection is still noticed.
            "hosts": [{"address": REDIS_URL, "socket_timeout": 15}],
            "capacity": 1500,
            "expiry": 30,
        },
    },
    # The collaborative editor's op fan-out between server processes: one Redis PUBLISH per
    # batch of ops. Lossy by design; the OT hub fills any gap from the database.
    "ot": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 15}]},
    },
}
if os.environ.get("CHANNEL_LAYER") == "memory":
    CHANNEL_LAYERS = {
        alias: {"BACKEND": "channels.layers.InMemoryChannelLayer"} for alias in ("default", "ot")
    }

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "codepusher",
    }
}

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
# The launcher's queue; a test run uses its own, so a worker of `make run` never takes its runs.
RUNNER_TASK_QUEUE = os.environ.get("RUNNER_TASK_QUEUE", "runs")
CELERY_TASK_ROUTES = {
    "execution.tasks.*": {"queue": RUNNER_TASK_QUEUE},
    "search.tasks.*": {"queue": "celery"},
}

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Every API view counts against the shared windows of codepusher/ratelimit.py, per client
    # address and per user; a view's `throttle_scope` picks its rates in RATE_LIMITS.
    "DEFAULT_THROTTLE_CLASSES": [
        "codepusher.ratelimit.ClientRateThrottle",
        "codepusher.ratelimit.UserRateThrottle",
    ],
    # Hops of X-Forwarded-For to trust for the client address (0: use REMOTE_ADDR).
    "NUM_PROXIES": env_int("NUM_PROXIES", 0) or None,
}

# --- Rate limits (codepusher/ratelimit.py; README "Security") ----------------------------------
# "<count>/<period>" with period s, min, hour or day, optionally with a multiple ("10/10s").
RATE_LIMITS = {
    "api.client": os.environ.get("RATE_LIMIT_API_CLIENT", "1200/min"),
    "api.user": os.environ.get("RATE_LIMIT_API_USER", "600/min"),
    "login.client": os.environ.get("RATE_LIMIT_LOGIN_CLIENT", "30/10min"),
    "login.username": os.environ.get("RATE_LIMIT_LOGIN_USERNAME", "10/10min"),
    "signup.client": os.environ.get("RATE_LIMIT_SIGNUP_CLIENT", "20/hour"),
    "session_create.client": os.environ.get("RATE_LIMIT_SESSION_CREATE_CLIENT", "120/hour"),
    "session_create.user": os.environ.get("RATE_LIMIT_SESSION_CREATE_USER", "60/hour"),
}
# The replay flags an insert longer than this (characters, in one op) as a paste.
REPLAY_PASTE_CHARS = env_int("REPLAY_PASTE_CHARS", 80)
# GET /healthz shows which service failed to staff and to callers sending this bearer token.
HEALTH_TOKEN = os.environ.get("HEALTH_TOKEN", "")
RATE_LIMIT_KEY_PREFIX = os.environ.get("RATE_LIMIT_KEY_PREFIX", "codepusher:rate")
# /ws/ot/ (collaborative editing): op rate per connection and per user (token buckets), op
# size, the op bytes a session may store, and what one connection may keep in memory.
OT_OP_BURST = env_int("OT_OP_BURST", 60)
OT_OP_RATE_PER_SECOND = env_int("OT_OP_RATE_PER_SECOND", 30)
OT_USER_OP_BURST = env_int("OT_USER_OP_BURST", 120)
OT_USER_OP_RATE_PER_SECOND = env_int("OT_USER_OP_RATE_PER_SECOND", 50)
OT_MAX_OP_BYTES = env_int("OT_MAX_OP_BYTES", 64 * 1024)
OT_MAX_SESSION_OP_BYTES = env_int("OT_MAX_SESSION_OP_BYTES", 64 * 1024 * 1024)
OT_MAX_PRESENCE_IDS = env_int("OT_MAX_PRESENCE_IDS", 16)
OT_MAX_PERMISSION_CACHE = env_int("OT_MAX_PERMISSION_CACHE", 64)
CHAT_RATE_LIMIT_MESSAGES = env_int("CHAT_RATE_LIMIT_MESSAGES", 10)
CHAT_RATE_LIMIT_SECONDS = env_int("CHAT_RATE_LIMIT_SECONDS", 10)
SPECTACULAR_SETTINGS = {
    "TITLE": "CodePusher API",
    "DESCRIPTION": "Challenges, sessions, runs, chat and search of CodePusher.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Several models have a `status` or a `mode`: each choice set gets its own enum name.
    "ENUM_NAME_OVERRIDES": {
        "SessionStatusEnum": "sessions_app.models.SessionStatus",
        "SessionModeEnum": "sessions_app.models.SessionMode",
        "RunStatusEnum": "execution.models.RunStatus",
        "RunModeEnum": "execution.models.RunMode",
    },
}

# --- Search -----------------------------------------------------------------------------------
SEARCH_URL = os.environ.get("SEARCH_URL", f"whoosh://{VAR_DIR / 'whoosh_index'}")
if SEARCH_URL.startswith(("http://", "https://", "elasticsearch://")):
    HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "haystack.backends.elasticsearch7_backend.Elasticsearch7SearchEngine",
            "URL": SEARCH_URL.replace("elasticsearch://", "http://"),
            "INDEX_NAME": os.environ.get("SEARCH_INDEX_NAME", "codepusher"),
            # Raise instead of answering "no results" when Elasticsearch is down: the search
            # then says it is unavailable (search.engine.SearchUnavailable).
            "SILENTLY_FAIL": False,
            "TIMEOUT": env_int("SEARCH_TIMEOUT_SECONDS", 5),
        }
    }
else:
    HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
            "PATH": SEARCH_URL.removeprefix("whoosh://"),
        }
    }
# Index updates go through Celery on commit (search/signals.py); saves never wait for the index.
HAYSTACK_SIGNAL_PROCESSOR = os.environ.get(
    "HAYSTACK_SIGNAL_PROCESSOR", "search.signals.CelerySignalProcessor"
)
# Query the Whoosh index natively (fast path); False sends Whoosh through the generic haystack
# path that Elasticsearch uses, which is how the tests exercise that path without Elasticsearch.
SEARCH_NATIVE_WHOOSH = env_bool("SEARCH_NATIVE_WHOOSH", True)
# The queue index updates are sent to (CELERY_TASK_ROUTES sends search.tasks.* there too).
SEARCH_TASK_QUEUE = os.environ.get("SEARCH_TASK_QUEUE", "celery")

# --- Code execution (runner limits) -----------------------------------------------------------
# The engine, read as the docker CLI reads it (execution/engine.py): TLS when DOCKER_TLS_VERIFY
# is set, certificates (ca.pem, cert.pem, key.pem) from DOCKER_CERT_PATH.
DOCKER_HOST = os.environ.get("DOCKER_HOST", "")
DOCKER_TLS_VERIFY = os.environ.get("DOCKER_TLS_VERIFY", "")
DOCKER_CERT_PATH = os.environ.get("DOCKER_CERT_PATH", "")
# Runner hosts (docs/deploy.md): runs stay on the shared RUNNER_TASK_QUEUE every host consumes;
# a worker also consumes its host's RUNNER_HOST_QUEUE, where beat sends that host's reaper.
RUNNER_HOST_QUEUE = os.environ.get("RUNNER_HOST_QUEUE", "")
RUNNER_HOST_QUEUES = [
    q.strip() for q in os.environ.get("RUNNER_HOST_QUEUES", "").split(",") if q.strip()
]
RUNNER_TIME_LIMIT_MS = env_int("RUNNER_TIME_LIMIT_MS", 2000)
RUNNER_MEMORY_LIMIT_MB = env_int("RUNNER_MEMORY_LIMIT_MB", 256)
# What a program may print (stdout + stderr) before it is stopped with Output Limit Exceeded;
# expected outputs of real challenges reach a few hundred KB.
RUNNER_OUTPUT_LIMIT_BYTES = env_int("RUNNER_OUTPUT_LIMIT_BYTES", 4 * 1024 * 1024)
# What of a run the shared terminal shows (and the run stores); the rest is judged, not shown.
RUNNER_TERMINAL_OUTPUT_CHARS = env_int("RUNNER_TERMINAL_OUTPUT_CHARS", 64 * 1024)
RUNNER_PIDS_LIMIT = env_int("RUNNER_PIDS_LIMIT", 64)
RUNNER_CPUS = float(os.environ.get("RUNNER_CPUS", "1.0"))
RUNNER_CONCURRENCY = env_int("RUNNER_CONCURRENCY", 2)
# Runs of one user judged at once; the others wait while other users' runs start.
RUNNER_USER_CONCURRENCY = env_int("RUNNER_USER_CONCURRENCY", 1)
RUNNER_MAX_CODE_BYTES = env_int("RUNNER_MAX_CODE_BYTES", 64 * 1024)
RUNNER_MAX_STDIN_BYTES = env_int("RUNNER_MAX_STDIN_BYTES", 64 * 1024)
# Interactive runs (input typed live in the terminal): their wall time, the time they may go
# without input or output, and the most one typed frame may carry (the whole input is capped at
# RUNNER_MAX_STDIN_BYTES).
RUNNER_INTERACTIVE_SECONDS = env_int("RUNNER_INTERACTIVE_SECONDS", 120)
RUNNER_INTERACTIVE_IDLE_SECONDS = env_int("RUNNER_INTERACTIVE_IDLE_SECONDS", 30)
RUNNER_INTERACTIVE_INPUT_BYTES = env_int("RUNNER_INTERACTIVE_INPUT_BYTES", 4096)
# A challenge's custom output validator runs in a container of its own with these limits.
VALIDATOR_TIME_LIMIT_MS = env_int("VALIDATOR_TIME_LIMIT_MS", 10_000)
VALIDATOR_MEMORY_LIMIT_MB = env_int("VALIDATOR_MEMORY_LIMIT_MB", 512)

# --- Calls -------------------------------------------------------------------------------------
CALL_ICE_SERVERS = env_list("CALL_ICE_SERVERS", [])
CALL_TURN_SECRET = os.environ.get("CALL_TURN_SECRET", "")
CALL_VIDEO_MEMBER_LIMIT = env_int("CALL_VIDEO_MEMBER_LIMIT", 6)
# TURN URLs (comma-separated, e.g. "turn:turn.example:3478?transport=udp,turns:turn.example:5349")
# get coturn REST credentials minted per join with CALL_TURN_SECRET (coturn's static-auth-secret).
CALL_TURN_URLS = env_list("CALL_TURN_URLS", [])
CALL_TURN_TTL_SECONDS = env_int("CALL_TURN_TTL_SECONDS", 6 * 3600)
# A participant whose socket dropped abnormally keeps its place this long, so a reconnect resumes.
CALL_RECONNECT_GRACE_SECONDS = env_int("CALL_RECONNECT_GRACE_SECONDS", 15)
# Per-connection signaling rate limit (token bucket).
CALL_RATE_BURST = env_int("CALL_RATE_BURST", 120)
CALL_RATE_PER_SECOND = env_int("CALL_RATE_PER_SECOND", 40)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"daphne": {"level": "WARNING"}, "django.channels.server": {"level": "WARNING"}},
}

RUNNER_RUNS_PER_MINUTE = env_int("RUNNER_RUNS_PER_MINUTE", 20)
# Pre-started containers per image; each serves exactly one submission, then is removed.
RUNNER_POOL_SIZE = env_int("RUNNER_POOL_SIZE", 1)
RUNNER_IMAGES_FROM_REGISTRY = env_bool("RUNNER_IMAGES_FROM_REGISTRY", False)
RUNNER_DEBIAN_MIRROR = os.environ.get("RUNNER_DEBIAN_MIRROR", "http://deb.debian.org/debian")
RUNNER_REAP_AFTER_SECONDS = env_int("RUNNER_REAP_AFTER_SECONDS", 300)
CELERY_BEAT_SCHEDULE = {
    "reap-runner-containers": {"task": "execution.tasks.runners_reap_task", "schedule": 60.0},
    "sweep-stranded-runs": {"task": "execution.tasks.runs_sweep_task", "schedule": 10.0},
    # Driver mode: the keyboard passes on within seconds of its time (reads apply it at once).
    "rotate-session-drivers": {"task": "sessions_app.tasks.roles_rotate_task", "schedule": 5.0},
}
if RUNNER_HOST_QUEUES:  # one reaper per runner host, on that host's engine; stale ticks expire
    del CELERY_BEAT_SCHEDULE["reap-runner-containers"]
    for _queue in RUNNER_HOST_QUEUES:
        CELERY_BEAT_SCHEDULE[f"reap-runner-containers@{_queue}"] = {
            "task": "execution.tasks.runners_reap_task",
            "schedule": 60.0,
            "options": {"queue": _queue, "expires": 55},
        }
