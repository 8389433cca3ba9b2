"""Strict readers for settings from the environment.

Every bad value stops start-up with a SettingsError that names the variable and
what it expects; manage.py prints it as one line.
"""

import os

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class SettingsError(ImproperlyConfigured):
    """A setting from the environment is missing or has an unusable value."""


def get_str(name, default=None, *, required=False, why=""):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        if required:
            raise SettingsError(f"{name} must be set{why}.")
        return default
    return value.strip()


def get_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":  # compose passes unset settings as empty
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise SettingsError(f"{name}={value!r} is not a yes/no value; use 1 or 0.")


def get_int(name, default, *, minimum=None):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise SettingsError(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise SettingsError(f"{name}={value!r} must be at least {minimum}.")
    return number


def get_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def get_database(name, default):
    url = get_str(name, default)
    try:
        config = environ.Env.db_url_config(url)
    except (ImproperlyConfigured, ValueError, KeyError) as error:
        raise SettingsError(
            f"{name}={url!r} is not a database URL we can use ({error}); "
            "use sqlite:////path/to/db.sqlite3 or postgres://user@host:5432/name."
        ) from None
    engine = config.get("ENGINE", "")
    if engine not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
        raise SettingsError(f"{name} must point at SQLite or PostgreSQL, not {engine or url!r}.")
    if engine.endswith("sqlite3"):
        # WAL lets readers work while one person saves; IMMEDIATE takes the write
        # lock at BEGIN so two saves queue instead of failing with "locked".
        config.setdefault("OPTIONS", {}).update(
            {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
        )
        config.setdefault("OPTIONS", {}).setdefault("timeout", 20)
        # A file, not shared-cache memory, so concurrency tests get real connections
        # that honour the busy timeout, as production does.
        name = str(config.get("NAME", ""))
        if name and name != ":memory:":
            config["TEST"] = {"NAME": name.removesuffix(".sqlite3") + "-test.sqlite3"}
    else:
        config["CONN_MAX_AGE"] = get_int("CONN_MAX_AGE", 60, minimum=0)
        config["CONN_HEALTH_CHECKS"] = True
    return config


# The caches the app can use without extra packages, with an example URL each.
CACHE_BACKENDS = {
    "django.core.cache.backends.locmem.LocMemCache": "locmemcache://",
    "django.core.cache.backends.db.DatabaseCache": "dbcache://TABLE",
    "django.core.cache.backends.filebased.FileBasedCache": "filecache:///path/to/folder",
    "django.core.cache.backends.redis.RedisCache": "redis://host:6379/0",
}


def get_cache(name, default):
    url = get_str(name, default)
    try:
        config = environ.Env.cache_url_config(url)
    except (ImproperlyConfigured, ValueError, KeyError):
        config = {}
    backend = config.get("BACKEND")
    in_memory = backend == "django.core.cache.backends.locmem.LocMemCache"
    if backend not in CACHE_BACKENDS or not (in_memory or config.get("LOCATION")):
        raise SettingsError(
            f"{name}={url!r} is not a cache URL we can use; use "
            + ", ".join(CACHE_BACKENDS.values())
            + "."
        )
    return config
