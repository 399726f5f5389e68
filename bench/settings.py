"""Settings for bench/article_bench.py: production-like (DEBUG off, same middleware), with
a bench-only URL for the "Django floor" and a switch to disable the page cache."""

import os

from config.settings.base import *  # noqa: F403
from config.settings.base import CACHES

DEBUG = False
SECRET_KEY = "benchmark-only-not-secret"
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
CACHES = {**CACHES, "off": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
# "off": the article page with its cache empty and disabled; "default": the shared cache.
COUNTERPOINT_PAGE_CACHE = os.environ.get("BENCH_PAGE_CACHE", "default")
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
