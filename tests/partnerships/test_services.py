from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from partnerships import access, services
from partnerships.models import (
    LearningCommunity,
    Organisation,
    PartnerType,
    Setting,
    User,
)
from sms_tool.errors import DomainError
from tests import factories


@pytest.fixture(autouse=True)
def english():
    translation.activate("en")


@pytest.fixture
def coordinator(db):
    person = factories.UserFactory(name="Dave")
    person.groups.add(Group.objects.get(name=services.COORDINATORS_GROUP))
    return person


@pytest.fixture
def lab(coordinator):
    community = factories.LearningCommunityFactory(name="Smart Industry Lab")
    community.coordinators.add(coordinator)
    return community


def test_the_coordinators_group_may_start_learning_communities(db):
    group = Group.objects.get(name="Coordinators")
    assert list(group.permissions.values_list("codename", flat=True)) == ["add_learningcommunity"]


def test_demo_coordinators_may_start_learning_communities(db):
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=StringIO())
    coordinators = User.objects.filter(coordinated_communities__isnull=False).distinct()
    assert coordinators
    assert all(access.can_create_communities(person) for person in coordinators)


def test_whoever_creates_a_learning_community_becomes_its_coordinator(coordinator):
    community = services.community_create(
        by=coordinator,
        name="  LC Zorg  ",
        sector="Zorg",
        setting=Setting.PUBLIC_PUBLIC,
        start_year=2007,
        description="Samen leren in de wijk.",
    )
    assert community.name == "LC Zorg"
    assert list(community.coordinators.all()) == [coordinator]


def test_a_learning_community_name_is_refused_when_it_exists_in_any_case(coordinator):
    factories.LearningCommunityFactory(name="LC Zorg")
    with pytest.raises(DomainError, match="already exists") as refused:
        services.community_create(
            by=coordinator, name="lc zorg", sector="", setting=Setting.PUBLIC_PUBLIC
        )
    assert refused.value.field == "name"
    assert LearningCommunity.objects.count() == 1


def test_someone_outside_the_coordinators_group_cannot_start_a_community(db):
    with pytest.raises(DomainError, match="may not start"):
        services.community_create(
            by=factories.UserFactory(), name="LC", sector="", setting=Setting.PUBLIC_PUBLIC
        )


def test_a_start_year_out_of_range_is_refused_with_the_field_named(coordinator):
    with pytest.raises(DomainError) as refused:
        services.community_create(
            by=coordinator, name="LC", sector="", setting=Setting.PUBLIC_PUBLIC, start_year=1800
        )
    assert refused.value.field == "start_year"


def test_a_coordinator_updates_the_community_but_not_to_a_taken_name(coordinator, lab):
    factories.LearningCommunityFactory(name="LC Zorg")
    services.community_update(community=lab, by=coordinator, sector="Techniek", start_year=2016)
    lab.refresh_from_db()
    assert (lab.sector, lab.start_year) == ("Techniek", 2016)
    with pytest.raises(DomainError, match="already exists"):
        services.community_update(community=lab, by=coordinator, name="LC ZORG")


def test_keeping_the_own_name_in_another_case_is_allowed(coordinator, lab):
    services.community_update(community=lab, by=coordinator, name="SMART industry lab")
    lab.refresh_from_db()
    assert lab.name == "SMART industry lab"


def test_only_a_coordinator_of_the_community_can_update_it(lab):
    with pytest.raises(DomainError, match="Only a coordinator"):
        services.community_update(community=lab, by=factories.UserFactory(), sector="x")


def test_adding_a_new_organisation_creates_it_and_links_it(coordinator, lab):
    organisation = services.organisation_add(
        community=lab, by=coordinator, name=" Fontys ICT ", partner_type=PartnerType.EDUCATION
    )
    assert organisation.name == "Fontys ICT"
    assert list(lab.organisations.all()) == [organisation]


def test_an_organisation_of_the_same_name_in_another_community_is_never_linked(coordinator, lab):
    elsewhere = factories.OrganisationFactory(name="Fontys ICT", partner_type="education")
    member = factories.MembershipFactory(organisation=elsewhere).person
    organisation = services.organisation_add(
        community=lab, by=coordinator, name="fontys ict", partner_type=PartnerType.EDUCATION
    )
    assert organisation != elsewhere
    assert organisation.community == lab
    assert lab.organisations.get() == organisation
    assert not organisation.members.exists()
    assert list(elsewhere.members.all()) == [member]


def test_a_name_taken_in_another_community_with_the_other_type_is_neither_refused_nor_mentioned(
    coordinator, lab
):
    factories.OrganisationFactory(name="Fontys ICT", partner_type=PartnerType.EDUCATION)
    organisation = services.organisation_add(
        community=lab, by=coordinator, name="Fontys ICT", partner_type=PartnerType.PRACTICE
    )
    assert organisation.partner_type == PartnerType.PRACTICE
    assert Organisation.objects.filter(name="Fontys ICT").count() == 2


def test_an_organisation_already_in_the_community_is_not_added_twice(coordinator, lab):
    services.organisation_add(
        community=lab, by=coordinator, name="Bouwbedrijf Noord", partner_type="practice"
    )
    with pytest.raises(DomainError, match="already takes part"):
        services.organisation_add(
            community=lab, by=coordinator, name="BOUWBEDRIJF NOORD", partner_type="practice"
        )


def test_an_empty_organisation_name_is_refused(coordinator, lab):
    with pytest.raises(DomainError) as refused:
        services.organisation_add(community=lab, by=coordinator, name="  ", partner_type="practice")
    assert refused.value.field == "name"


def test_removing_an_organisation_removes_it_with_its_memberships_and_open_invitations(
    coordinator, lab
):
    organisation = factories.OrganisationFactory(community=lab)
    membership = factories.MembershipFactory(organisation=organisation)
    services.organisation_remove(community=lab, by=coordinator, organisation=organisation)
    assert not lab.organisations.exists()
    assert not Organisation.objects.filter(pk=organisation.pk).exists()
    assert membership.person.memberships.count() == 0


def test_an_organisation_in_a_session_of_the_community_cannot_be_removed(coordinator, lab):
    organisation = factories.OrganisationFactory(community=lab)
    session = factories.DialogueSessionFactory(community=lab, title="Evaluatie 2026")
    preparation = factories.PreparationFactory(session=session, organisation=organisation)
    factories.AnswerFactory(preparation=preparation)
    with pytest.raises(DomainError, match="“Evaluatie 2026”"):
        services.organisation_remove(community=lab, by=coordinator, organisation=organisation)
    assert lab.organisations.filter(pk=organisation.pk).exists()


def test_an_organisation_of_another_community_cannot_be_removed_through_this_one(coordinator, lab):
    elsewhere = factories.OrganisationFactory()
    with pytest.raises(DomainError, match="does not take part"):
        services.organisation_remove(community=lab, by=coordinator, organisation=elsewhere)
    assert Organisation.objects.filter(pk=elsewhere.pk).exists()
