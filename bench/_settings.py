"""Settings of the benchmark servers: the project's own settings, two paths moved.

With DEBUG off, static files come from whitenoise's manifest storage, which needs
``collectstatic``; the benchmarks collect into a temporary folder rather than
the project's ``staticfiles/``. The bare-view ceiling (``_bare_wsgi.py``) swaps
the URL configuration for its one view. Everything else is ``sms_tool.settings``.
"""

import os
import tempfile

from sms_tool.settings import *  # noqa: F403
from sms_tool.settings import ROOT_URLCONF as PROJECT_URLCONF

STATIC_ROOT = os.environ.get("SMS_BENCH_STATIC_ROOT") or os.path.join(
    tempfile.gettempdir(), "sms-bench-static"
)
ROOT_URLCONF = os.environ.get("SMS_BENCH_URLCONF") or PROJECT_URLCONF

# The Quick Scan benchmark (bench/quickscan_load.py) shares one cache between the
# workers: Redis, as in production (``SMS_BENCH_REDIS``, a database number of its own).
if os.environ.get("SMS_BENCH_REDIS"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["SMS_BENCH_REDIS"],
        }
    }
