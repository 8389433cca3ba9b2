import re

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


def test_a_member_is_told_what_is_expected_in_the_preparation(
    client, session_with_two_organisations
):
    client.force_login(session_with_two_organisations.people["alice"])
    response = client.get(reverse("home"))
    assert "Hogeschool Zuid" in response.text
    assert "vul het format van uw organisatie in" in response.text
    assert "Bouwbedrijf Noord" not in response.text


def test_coordinator_and_facilitator_see_their_role(client, session_with_two_organisations):
    client.force_login(session_with_two_organisations.people["dave"])
    assert "U coördineert deze learning community." in client.get(reverse("home")).text
    client.force_login(session_with_two_organisations.people["carol"])
    assert "U begeleidt deze sessie." in client.get(reverse("home")).text


def test_my_sessions_runs_the_same_queries_for_few_and_many_sessions(client, db):
    from sessions.models import Phase

    person = factories.UserFactory()
    organisation = factories.OrganisationFactory()
    factories.MembershipFactory(person=person, organisation=organisation)

    def add_sessions(count):
        for _ in range(count):
            factories.PreparationFactory(
                organisation=organisation,
                session=factories.DialogueSessionFactory(
                    community=organisation.community, phase=Phase.PREPARATION
                ),
            )

    client.force_login(person)
    add_sessions(2)
    client.get(reverse("home"))  # warm up the session and user lookups
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    add_sessions(10)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("home"))
    assert response.text.count("vul het format van uw organisatie in") == 12
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_page_names_its_icon_and_the_icon_is_served(client, db):
    page = client.get(reverse("home")).text
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert icon, "browsers would ask for a /favicon.ico that does not exist"
    response = client.get(icon.group(1))
    assert response.status_code == 200
    assert b"<svg" in b"".join(response.streaming_content)
