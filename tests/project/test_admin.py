"""The admin suits a coordinator who is not a developer: every list loads and searches."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests import factories
from tests.helpers import sign_in_with_second_factor


@pytest.fixture
def staff_client(client, session_with_two_organisations):
    factories.AnswerFactory(preparation=session_with_two_organisations.preparations.first())
    factories.AgreementFactory(session=session_with_two_organisations)
    sign_in_with_second_factor(client, factories.UserFactory(is_staff=True, is_superuser=True))
    return client


def registered_models():
    return [model for model in admin.site._registry if model._meta.app_label != "auth"]


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_every_list_loads_with_a_search(staff_client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert staff_client.get(url).status_code == 200
    assert staff_client.get(url, {"q": "Hogeschool"}).status_code == 200


# Rows that only the app writes: django-axes' sign-in records; invitations (only the
# app's service mails the link); Quick Scans (the app draws their short code) and
# their answers (from the participants' phones).
NOT_ADDED_IN_THE_ADMIN = {
    "django_tasks_database.dbtaskresult",  # the app and the worker enqueue and run tasks
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accesslog",
    "dialogue_sessions.invitation",
    "dialogue_sessions.quickscan",
    "dialogue_sessions.quickscanresponse",
    "audit.auditevent",  # append-only: the app writes it, nobody edits it
    "otp_totp.totpdevice",  # made by its owner on the setup page only
    "otp_static.staticdevice",  # backup codes: made and shown once on the owner's page
}


def addable_models():
    return [
        model
        for model in registered_models()
        if model._meta.label_lower not in NOT_ADDED_IN_THE_ADMIN
    ]


@pytest.mark.parametrize(
    "model",
    [model for model in registered_models() if model._meta.label_lower in NOT_ADDED_IN_THE_ADMIN],
    ids=lambda m: m._meta.label,
)
def test_rows_that_only_the_app_writes_cannot_be_added_in_the_admin(staff_client, model):
    changelist = staff_client.get(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    )
    add = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    assert add not in changelist.text
    assert staff_client.get(add).status_code == 403


@pytest.mark.parametrize("model", addable_models(), ids=lambda m: m._meta.label)
def test_every_add_form_loads(staff_client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    assert staff_client.get(url).status_code == 200


def test_a_person_can_be_added_with_email_and_name(staff_client):
    from partnerships.models import User

    response = staff_client.post(
        reverse("admin:partnerships_user_add"),
        {
            "email": "nieuw@example.org",
            "name": "Nieuwe Persoon",
            "usable_password": "true",
            "password1": "een-lang-wachtwoord-42",
            "password2": "een-lang-wachtwoord-42",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="nieuw@example.org").check_password("een-lang-wachtwoord-42")


def test_the_session_page_shows_its_preparations(staff_client, session_with_two_organisations):
    url = reverse(
        "admin:dialogue_sessions_dialoguesession_change", args=[session_with_two_organisations.pk]
    )
    response = staff_client.get(url)
    assert "Hogeschool Zuid" in response.text
    assert "Bouwbedrijf Noord" in response.text
