"""One middleware for every response that is not a static file (it sits below WhiteNoise).

- Pages for a signed-in person show private answers: browsers and proxies must not
  keep them (``Cache-Control: private, no-store``), so the back button or a shared
  computer never shows them from a cache. Whether someone is signed in is read from
  the session cookie, never from the database: this also holds for the error page
  shown when the database is down.
- A request with a method the view does not accept gets a page in the person's
  language instead of Django's empty 405 response.

And the one way a view sends a file to download (``attachment``).
"""

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control


def _signed_in(request, response):
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or settings.SESSION_COOKIE_NAME in response.cookies
    )


class SafeResponseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            response.content = render_to_string("405.html", request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        if _signed_in(request, response):
            patch_cache_control(response, private=True, no_store=True)
        return response


CSV = "text/csv; charset=utf-8"
JSON = "application/json; charset=utf-8"
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(body: bytes, *, content_type: str, filename: str) -> HttpResponse:
    """A download that no browser or proxy keeps: private answers, or consent that can end.

    ``filename`` must be ASCII without quotes (``slugify`` gives that).
    """
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
