"""A bare Django view for the server ceiling in ``bench/ceilings.py``; not part of the app's URLs.

gunicorn serves it as ``_bare_wsgi:application`` with ``bench/`` on the Python
path. Same settings and middleware as the app (``_settings.py``). Its page answers
"ok" behind the same login as the app's pages (``login_required``: the session row
and the user are looked up, as for every page a partner sees), and
``/bench-sign-in/`` signs the caller in as one throw-away benchmark user (so each
simulated person has a session of their own, without paying the password hash).
"""

import os

from _server import BARE_ANONYMOUS_PATH, BARE_SIGN_IN_PATH
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

os.environ["SMS_BENCH_URLCONF"] = __name__
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "_settings")

USER = "bare-view@bench.example.org"


def anonymous_ok(request):
    """The bare answer for a visitor without an account (a Quick Scan phone)."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


ok = login_required(anonymous_ok)


def sign_in(request):
    from partnerships.models import User

    user = User.objects.filter(email=USER).first() or User.objects.create_user(
        email=USER, name="Bare view"
    )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return HttpResponse("signed in", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("", ok),
    path(BARE_SIGN_IN_PATH.strip("/") + "/", sign_in),
    path(BARE_ANONYMOUS_PATH.strip("/") + "/", anonymous_ok),
]

application = get_wsgi_application()
