from django.urls import reverse

from tests import factories


def switch(client, language):
    return client.post(reverse("set_language"), {"language": language, "next": "/"}, follow=True)


def test_a_signed_in_person_keeps_their_language_on_another_device(client, db):
    person = factories.UserFactory()
    client.force_login(person)
    switch(client, "en")
    person.refresh_from_db()
    assert person.language == "en"

    from django.test import Client

    other_device = Client(headers={"accept-language": "nl"})
    other_device.force_login(person)
    assert 'lang="en"' in other_device.get(reverse("home")).text


def test_a_visitor_gets_dutch_first_and_can_switch(client, db):
    assert 'lang="nl"' in client.get(reverse("home")).text
    assert 'lang="en"' in switch(client, "en").text


def test_an_unknown_language_changes_nothing(client, db):
    person = factories.UserFactory()
    client.force_login(person)
    switch(client, "xx")
    person.refresh_from_db()
    assert person.language == ""
    assert 'lang="nl"' in client.get(reverse("home")).text
