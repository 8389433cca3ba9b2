import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from partnerships.models import LearningCommunity, Organisation, PartnerType
from partnerships.services import COORDINATORS_GROUP
from tests import factories


def make_coordinator_group_member(person):
    person.groups.add(Group.objects.get(name=COORDINATORS_GROUP))


# --- the list ---------------------------------------------------------------


def test_a_coordinator_sees_the_communities_they_coordinate_only(sign_in, community):
    factories.LearningCommunityFactory(name="LC van een ander")
    response = sign_in("dave").get(reverse("community_list"))
    assert "Smart Industry Lab" in response.text
    assert "LC van een ander" not in response.text
    assert "2 partner organisations" in response.text
    assert "1 session" in response.text


def test_the_new_community_button_shows_only_for_the_coordinators_group(sign_in, session):
    url = reverse("community_create")
    assert url not in sign_in("dave").get(reverse("community_list")).text
    make_coordinator_group_member(session.people["dave"])
    assert url in sign_in("dave").get(reverse("community_list")).text


def test_someone_without_communities_gets_an_empty_state(sign_in):
    response = sign_in("mallory").get(reverse("community_list"))
    assert response.status_code == 200
    assert "You do not coordinate a learning community yet." in response.text


def test_the_community_list_is_paginated(sign_in, session):
    for number in range(21):
        factories.LearningCommunityFactory(name=f"LC {number:02}").coordinators.add(
            session.people["dave"]
        )
    client = sign_in("dave")
    first = client.get(reverse("community_list"))
    assert "Page 1 of 2" in first.text
    assert "Smart Industry Lab" not in first.text
    assert "Smart Industry Lab" in client.get(reverse("community_list") + "?page=2").text


# --- creating and editing ---------------------------------------------------


def test_starting_a_community_without_the_right_is_forbidden(sign_in):
    client = sign_in("dave")
    assert client.get(reverse("community_create")).status_code == 403
    assert client.post(reverse("community_create"), {"name": "X"}).status_code == 403


def test_a_member_of_the_coordinators_group_starts_a_community_and_coordinates_it(sign_in, session):
    make_coordinator_group_member(session.people["mallory"])
    client = sign_in("mallory")
    form = client.get(reverse("community_create"))
    assert "At most 200 characters." in form.text
    response = client.post(
        reverse("community_create"),
        {"name": "LC Zorg", "sector": "Zorg", "setting": "public-public", "start_year": "2007"},
    )
    community = LearningCommunity.objects.get(name="LC Zorg")
    assert response.url == reverse("community_detail", args=[community.pk])
    assert list(community.coordinators.all()) == [session.people["mallory"]]


def test_a_taken_community_name_is_shown_at_the_name_field(sign_in, session):
    make_coordinator_group_member(session.people["dave"])
    response = sign_in("dave").post(
        reverse("community_create"),
        {"name": "smart industry lab", "setting": "public-private"},
    )
    assert response.status_code == 200
    assert "already exists" in response.text
    assert 'value="smart industry lab"' in response.text
    assert LearningCommunity.objects.count() == 1


def test_a_coordinator_edits_the_community(sign_in, community):
    client = sign_in("dave")
    url = reverse("community_edit", args=[community.pk])
    assert 'value="Smart Industry Lab"' in client.get(url).text
    response = client.post(
        url, {"name": "Smart Industry Lab", "sector": "Techniek", "setting": "public-private"}
    )
    assert response.status_code == 302
    community.refresh_from_db()
    assert community.start_year is None


# --- who gets in ------------------------------------------------------------


@pytest.mark.parametrize("name", ["alice", "bob", "carol", "mallory"])
def test_community_pages_give_404_to_anyone_but_its_coordinators(sign_in, community, session, name):
    client = sign_in(name)
    urls = [
        reverse("community_detail", args=[community.pk]),
        reverse("community_edit", args=[community.pk]),
        reverse("organisation_add", args=[community.pk]),
        reverse("organisation_remove", args=[community.pk, session.practice.pk]),
        reverse("session_create", args=[community.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "x", "partner_type": "practice"}).status_code == 404, url
    assert community.organisations.count() == 2


def test_an_unknown_community_gives_the_same_404(sign_in, community):
    assert sign_in("dave").get(
        reverse("community_detail", args=[community.pk + 99])
    ).status_code == (404)


# --- the community page -----------------------------------------------------


def test_the_community_page_groups_organisations_and_lists_sessions(sign_in, community, session):
    response = sign_in("dave").get(reverse("community_detail", args=[community.pk]))
    text = response.text
    assert text.index("Education partners") < text.index("Hogeschool Zuid")
    assert text.index("Practice partners") < text.index("Bouwbedrijf Noord")
    assert text.index("Hogeschool Zuid") < text.index("Practice partners")
    assert reverse("session_detail", args=[session.pk]) in text
    assert reverse("session_create", args=[community.pk]) in text
    # it takes part in the session: no "Remove" that leads to a page saying it cannot be done
    assert reverse("organisation_remove", args=[community.pk, session.education.pk]) not in text
    assert "Takes part in a session; remove it from its sessions first." in text


def test_a_community_without_organisations_or_sessions_says_what_to_do(sign_in, session):
    empty = factories.LearningCommunityFactory(name="Nieuw LC")
    empty.coordinators.add(session.people["dave"])
    response = sign_in("dave").get(reverse("community_detail", args=[empty.pk]))
    assert "No partner organisations yet." in response.text
    assert "No sessions yet." in response.text


# --- organisations ----------------------------------------------------------


def test_a_coordinator_adds_an_organisation(sign_in, community):
    response = sign_in("dave").post(
        reverse("organisation_add", args=[community.pk]),
        {"name": "Zorggroep Oost", "partner_type": PartnerType.PRACTICE},
    )
    assert response.url == reverse("community_detail", args=[community.pk])
    assert community.organisations.filter(name="Zorggroep Oost").exists()


def test_a_name_already_in_the_community_is_refused_on_the_form_in_any_letter_case(
    sign_in, community
):
    response = sign_in("dave").post(
        reverse("organisation_add", args=[community.pk]),
        {"name": "HOGESCHOOL ZUID", "partner_type": PartnerType.PRACTICE},
    )
    assert response.status_code == 200
    assert "“HOGESCHOOL ZUID” already takes part in this learning community." in response.text
    assert Organisation.objects.count() == 2


def test_an_organisation_named_like_one_of_another_community_is_a_new_organisation(
    sign_in, community
):
    elsewhere = factories.OrganisationFactory(name="Zorggroep Oost", partner_type="education")
    response = sign_in("dave").post(
        reverse("organisation_add", args=[community.pk]),
        {"name": "ZORGGROEP OOST", "partner_type": PartnerType.PRACTICE},
        follow=True,
    )
    assert "“ZORGGROEP OOST” now takes part in this learning community." in response.text
    ours = community.organisations.get(name="ZORGGROEP OOST")
    assert ours != elsewhere
    assert ours.partner_type == PartnerType.PRACTICE


def test_removing_an_organisation_is_confirmed_first(sign_in, community):
    spare = factories.OrganisationFactory(name="Zorggroep Oost", community=community)
    client = sign_in("dave")
    url = reverse("organisation_remove", args=[community.pk, spare.pk])
    confirm = client.get(url)
    assert "Remove “Zorggroep Oost” from this learning community?" in confirm.text
    assert community.organisations.filter(pk=spare.pk).exists()
    response = client.post(url)
    assert response.url == reverse("community_detail", args=[community.pk])
    assert not community.organisations.filter(pk=spare.pk).exists()


def test_an_organisation_in_a_session_cannot_be_removed_and_the_page_says_why(
    sign_in, community, session
):
    client = sign_in("dave")
    url = reverse("organisation_remove", args=[community.pk, session.practice.pk])
    confirm = client.get(url)
    assert "“Evaluatie voorjaar”" in confirm.text
    assert "Remove organisation" not in confirm.text
    client.post(url)
    assert community.organisations.filter(pk=session.practice.pk).exists()


def test_an_organisation_of_another_community_gives_404_on_remove(sign_in, community):
    stranger = factories.OrganisationFactory()
    url = reverse("organisation_remove", args=[community.pk, stranger.pk])
    assert sign_in("dave").get(url).status_code == 404
