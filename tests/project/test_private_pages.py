"""Pages with private answers are never kept by a browser or proxy cache; static files are."""

import pytest
from django.urls import reverse


def directives(response):
    return {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",")}


@pytest.fixture
def alice(client, session):
    client.force_login(session.people["alice"])
    return client


def test_the_format_of_a_signed_in_member_is_private_and_not_stored(alice, session):
    preparation = session.preparations.get(organisation=session.education)
    response = alice.get(reverse("preparation_detail", args=[session.pk, preparation.pk]))
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


@pytest.mark.parametrize("name", ["home", "session_detail", "community_list"])
def test_every_page_for_a_signed_in_person_is_private_and_not_stored(alice, session, name):
    args = [session.pk] if name == "session_detail" else []
    response = alice.get(reverse(name, args=args))
    assert {"private", "no-store"} <= directives(response)


def test_a_redirect_and_an_error_page_for_a_signed_in_person_are_not_stored(alice, session):
    assert {"private", "no-store"} <= directives(alice.get("/no-such-page/"))
    assert {"private", "no-store"} <= directives(alice.get(reverse("community_create")))


def test_static_files_keep_their_own_caching(alice):
    """A guard: the middleware sits below WhiteNoise, so it never sees static files."""
    response = alice.get("/static/css/sms.css")
    assert response.status_code == 200
    assert "no-store" not in directives(response)
