"""Each person's interface language: chosen with the switch in the header, kept on their account."""

from django.conf import settings
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


@require_POST
def set_language(request):
    """Django's language switch, which also remembers the choice for a signed-in person."""
    response = django_set_language(request)
    language = request.POST.get("language")
    user = request.user
    if user.is_authenticated and language in LANGUAGE_CODES and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return response


class PreferredLanguageMiddleware:
    """After sign-in, a person's saved language wins over the browser's preference."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in LANGUAGE_CODES:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
