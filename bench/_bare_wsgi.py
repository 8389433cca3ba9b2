"""A bare Django view for the server ceiling in ``bench/ceilings.py``; not part of the app's URLs.

gunicorn serves it as ``_bare_wsgi:application`` with ``bench/`` on the Python
path. Same settings and middleware as the app (``_settings.py``); its only URL
answers "ok" without touching the database.
"""

import os

from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

os.environ["SMS_BENCH_URLCONF"] = __name__
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "_settings")


def ok(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [path("", ok)]

application = get_wsgi_application()
