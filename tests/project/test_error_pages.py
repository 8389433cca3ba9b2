"""Error pages: in Dutch and English, in the site's layout, with a way back; never Django's bare page.

DEBUG is off here, as in production. The 500 page must work while the database is
down: then even the session and the signed-in person cannot be looked up.
"""

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.defaults import permission_denied

from sms_tool.error_pages import server_error

WORDS = {
    "nl": {
        404: "Pagina niet gevonden",
        403: "Niet toegestaan",
        400: "Het verzoek kon niet worden verwerkt",
        405: "Deze pagina kan niet op deze manier worden gebruikt",
        "csrf": "Het formulier kon niet worden verstuurd",
        500: "Er ging iets mis",
        "nothing saved": "Er is niets opgeslagen.",
        "go back": "Ga terug: uw tekst staat nog in het formulier.",
        "database": "De SMS-tool kan zijn database op dit moment niet bereiken.",
        "home": "Naar de startpagina",
        "sign in": "Inloggen",
    },
    "en": {
        404: "Page not found",
        403: "Not allowed",
        400: "The request could not be handled",
        405: "This page cannot be used this way",
        "csrf": "The form could not be sent",
        500: "Something went wrong",
        "nothing saved": "Nothing was saved.",
        "go back": "Go back: your text is still in the form.",
        "database": "The SMS-tool cannot reach its database at the moment.",
        "home": "Go to the start page",
        "sign in": "Sign in",
    },
}
LANGUAGES = ["nl", "en"]


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def browser(language, **kwargs):
    client = Client(raise_request_exception=False, **kwargs)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    return client


def in_layout(response):
    """Our layout (base.html), with a link back to the start page."""
    page = response.content.decode()
    return '<nav class="container"' in page and f'href="{reverse("home")}"' in page


def education_format(session):
    preparation = session.preparations.get(organisation=session.education)
    return reverse("preparation_detail", args=[session.pk, preparation.pk])


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_missing_page_is_a_404_in_the_persons_language_with_home_and_sign_in(db, language):
    response = browser(language).get("/no-such-page/")
    assert response.status_code == 404
    assert WORDS[language][404] in response.text
    assert WORDS[language]["home"] in response.text
    assert f'href="{reverse("login")}?next=/no-such-page/"' in response.text
    assert in_layout(response)
    assert f'lang="{language}"' in response.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_signed_in_person_gets_the_404_without_a_sign_in_link(session, language):
    client = browser(language)
    client.force_login(session.people["mallory"])
    response = client.get(education_format(session))  # not hers: the same 404 as "missing"
    assert response.status_code == 404
    assert WORDS[language][404] in response.text
    assert f"{reverse('login')}?next=" not in response.text
    assert in_layout(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_page_the_person_may_not_use_is_a_403_in_their_language(session, language):
    client = browser(language)
    client.force_login(session.people["alice"])
    response = client.get(reverse("community_create"))
    assert response.status_code == 403
    assert WORDS[language][403] in response.text
    assert WORDS[language]["home"] in response.text
    assert in_layout(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_403_page_offers_sign_in_to_someone_not_signed_in(db, language):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    request = RequestFactory().get("/quickscans/")
    request.user = AnonymousUser()
    with translation.override(language):
        response = permission_denied(request, PermissionDenied())
    page = response.content.decode()
    assert response.status_code == 403
    assert WORDS[language][403] in page
    assert f'href="{reverse("login")}?next=/quickscans/"' in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_bad_request_is_a_400_page_in_the_persons_language(db, language):
    response = browser(language, HTTP_HOST="evil.example").get(reverse("login"))
    assert response.status_code == 400
    assert WORDS[language][400] in response.text
    assert in_layout(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_form_without_its_security_check_gets_the_csrf_page(session, language):
    client = browser(language, enforce_csrf_checks=True)
    client.force_login(session.people["alice"])
    response = client.post(education_format(session), {"version": 1})
    assert response.status_code == 403
    assert WORDS[language]["csrf"] in response.text
    assert in_layout(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_wrong_method_gets_a_405_page_instead_of_an_empty_answer(session, language):
    client = browser(language)
    client.force_login(session.people["alice"])
    response = client.put(education_format(session))
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert WORDS[language][405] in response.text
    assert in_layout(response)


def fail_the_save(monkeypatch, error):
    def failing(**kwargs):
        raise error

    monkeypatch.setattr("sessions.preparation.services.preparation_save", failing)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_save_that_hits_a_database_failure_says_nothing_was_saved(session, monkeypatch, language):
    fail_the_save(monkeypatch, OperationalError("the database is down"))
    client = browser(language)
    client.force_login(session.people["alice"])
    response = client.post(education_format(session), {"version": 1, "save": "1"})
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    for word in (500, "nothing saved", "go back", "database", "home"):
        assert WORDS[language][word] in response.text, word
    assert in_layout(response)
    assert "Server Error" not in response.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_any_other_error_is_a_500_page_in_the_persons_language(session, monkeypatch, language):
    fail_the_save(monkeypatch, RuntimeError("a bug"))
    client = browser(language)
    client.force_login(session.people["alice"])
    response = client.post(education_format(session), {"version": 1, "save": "1"})
    assert response.status_code == 500
    assert WORDS[language][500] in response.text
    assert WORDS[language]["nothing saved"] in response.text
    assert WORDS[language]["database"] not in response.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_with_the_database_down_before_any_view_runs_the_page_still_comes(
    session, monkeypatch, language
):
    """The session lookup fails in the middleware; the error page needs nothing of it."""
    client = browser(language)
    client.force_login(session.people["alice"])

    def down(self):
        raise OperationalError("connection refused")

    monkeypatch.setattr(SessionStore, "load", down)
    response = client.post(education_format(session), {"version": 1, "save": "1"})
    assert response.status_code == 503
    assert WORDS[language]["nothing saved"] in response.text
    assert WORDS[language]["database"] in response.text
    response = client.get(reverse("home"))
    assert response.status_code == 503
    assert WORDS[language]["nothing saved"] not in response.text  # a GET saved nothing


def test_the_500_handler_reads_neither_the_database_nor_the_person(db, django_assert_num_queries):
    def no_lookups():
        raise AssertionError("the error page looked up the signed-in person")

    request = RequestFactory().post("/sessions/1/preparations/1/")
    request.user = SimpleLazyObject(no_lookups)
    request.LANGUAGE_CODE = "nl"
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert "Er is niets opgeslagen." in response.content.decode()


def test_the_autosave_gets_its_error_as_json(session, monkeypatch):
    fail_the_save(monkeypatch, OperationalError("the database is down"))
    client = browser("en")
    client.force_login(session.people["alice"])
    preparation = session.preparations.get(organisation=session.education)
    response = client.post(
        reverse("preparation_autosave", args=[session.pk, preparation.pk]),
        {"version": 1},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 503
    assert response.json()["message"].startswith("Not saved: the server could not save")
