from django.urls import reverse

from tests import factories


def test_a_visitor_sees_what_the_tool_is_for_and_how_to_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Strategische motieven voor samenwerking" in response.text
    assert reverse("login") in response.text


def test_a_member_sees_the_sessions_of_their_organisation_only(
    client, session_with_two_organisations
):
    other = factories.DialogueSessionFactory(title="Sessie van een andere LC")
    client.force_login(session_with_two_organisations.people["alice"])

    response = client.get(reverse("home"))

    assert "Evaluatie voorjaar" in response.text
    assert other.title not in response.text


def test_a_person_without_sessions_is_told_how_to_get_in(client, session_with_two_organisations):
    client.force_login(session_with_two_organisations.people["mallory"])
    response = client.get(reverse("home"))
    assert "Evaluatie voorjaar" not in response.text
    assert "kan u uitnodigen" in response.text


def test_the_interface_is_dutch_first_and_switches_to_english(client, db):
    assert 'lang="nl"' in client.get(reverse("home")).text
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert 'lang="en"' in response.text
    assert "Strategic motives for collaboration" in response.text
