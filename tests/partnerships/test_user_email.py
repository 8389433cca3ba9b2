"""One account per e-mail address, whatever its letter case, and a sign-in that never fails hard."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from partnerships.models import User
from tests import factories
from tests.factories import PASSWORD


def test_the_database_refuses_a_second_address_that_differs_only_in_case(db):
    factories.UserFactory(email="alice@example.org")

    # bulk_create skips save(), so the address reaches the database as typed
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="Alice@example.org", password="!")])

    assert User.objects.count() == 1


def test_an_address_is_stored_without_spaces_and_in_lower_case_however_it_is_saved(db):
    created = User.objects.create(email="  Alice.Smit@Example.ORG ")
    made = User.objects.create_user(email="BOB@Example.org")
    changed = factories.UserFactory(email="carol@example.org")
    changed.email = "Carol@Example.org"
    changed.save()

    emails = set(User.objects.values_list("email", flat=True))

    assert emails == {"alice.smit@example.org", "bob@example.org", "carol@example.org"}
    assert created.email == "alice.smit@example.org"
    assert made.email == "bob@example.org"


def test_model_validation_refuses_an_address_taken_in_another_case_with_a_sentence(db):
    factories.UserFactory(email="alice@example.org")

    with pytest.raises(ValidationError) as refused:
        User(email="ALICE@Example.org", name="Alice").full_clean(exclude=["password"])

    messages = " ".join(refused.value.messages)
    assert "e-mail" in messages.lower()
    assert "constraint" not in messages.lower()


def test_signing_in_with_the_address_in_capitals_works(db, client):
    factories.UserFactory(email="alice@example.org")

    response = client.post(
        reverse("login"), {"username": "ALICE@Example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert SESSION_KEY in client.session


def test_signing_in_ignores_the_case_of_letters_outside_ascii(db, client):
    # SQLite compares only ASCII letters without regard to case; Python lower-cases all.
    factories.UserFactory(email="anne@bücher.example")

    response = client.post(
        reverse("login"), {"username": "Anne@BÜCHER.example", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert SESSION_KEY in client.session


def test_two_accounts_for_one_address_give_the_sign_in_page_a_message_not_an_error(db, client):
    # A database restored without the constraint: drop it for this test only.
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS user_email_unique_ci")
    User.objects.bulk_create(
        [
            User(email="mixed.case@example.org", password="!"),
            User(email="Mixed.Case@example.org", password="!"),
        ]
    )
    client.raise_request_exception = False

    response = client.post(
        reverse("login"), {"username": "Mixed.Case@example.org", "password": PASSWORD}
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert SESSION_KEY not in client.session
