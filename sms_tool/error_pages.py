"""The server-error page: in the person's language, and without the database.

When the database is down, the session and the signed-in person cannot be looked
up, often before any view runs. So this handler reads nothing from the database
and not ``request.user``: the template gets a plain context (no context
processors), and the language comes from what the locale middleware found, or
from the request's cookie and headers. After a failed POST it says that nothing
was saved and that the typed text is still in the form when the person goes back.

The 400, 403 and 404 pages are Django's own handlers with our templates
(``templates/400.html`` ...); they run while the database works.
"""

import sys
from contextlib import nullcontext

from django.db import Error as DatabaseError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 60


def _language(request):
    chosen = getattr(request, "LANGUAGE_CODE", None)
    if chosen:
        return chosen
    try:
        return translation.get_language_from_request(request)
    except Exception:  # noqa: BLE001 -- the error page itself must not fail
        return None


def server_error(request):
    """``handler500``: 503 when the database failed, 500 otherwise; never a database query."""
    error = sys.exc_info()[1]
    database_down = isinstance(error, DatabaseError)
    status = 503 if database_down else 500
    posted = request.method == "POST"
    language = _language(request)
    with translation.override(language) if language else nullcontext():
        if "application/json" in request.headers.get("Accept", ""):
            message = (
                _(
                    "Not saved: the server could not save your text. It is still here; press Save draft to try again."
                )
                if posted
                else _("The server could not answer. Try again in a few minutes.")
            )
            response = JsonResponse({"status": "error", "message": message}, status=status)
        else:
            body = loader.get_template("500.html").render(
                {"posted": posted, "database_down": database_down}
            )
            response = HttpResponse(body, status=status)
    response["Cache-Control"] = "private, no-store"
    if database_down:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
