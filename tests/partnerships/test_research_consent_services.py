"""research_consent_give / research_consent_withdraw: only the community's coordinator, recorded."""

import datetime

import pytest
from django.utils import timezone, translation

from partnerships import services
from partnerships.models import LearningCommunity
from sms_tool.errors import DomainError
from tests import factories


@pytest.fixture(autouse=True)
def english():
    translation.activate("en")


@pytest.fixture
def dave(db):
    return factories.UserFactory(email="dave@example.org", name="Dave")


@pytest.fixture
def lab(dave):
    community = factories.LearningCommunityFactory(name="Smart Industry Lab")
    community.coordinators.add(dave)
    return community


def stored(community):
    return LearningCommunity.objects.get(pk=community.pk)


def test_a_new_learning_community_starts_without_consent(lab):
    community = stored(lab)
    assert community.research_consent is False
    assert community.research_consent_changed_at is None
    assert community.research_consent_changed_by is None


def test_the_coordinator_gives_consent_and_when_and_by_whom_is_recorded(dave, lab):
    before = timezone.now()
    services.research_consent_give(community=lab, by=dave)
    community = stored(lab)
    assert community.research_consent is True
    assert community.research_consent_changed_by == dave
    assert before <= community.research_consent_changed_at <= timezone.now()
    assert community.research_consent_source == LearningCommunity.ConsentSource.COORDINATOR
    assert lab.research_consent is True  # the caller's object is up to date too


def test_another_coordinator_of_the_community_withdraws_it_and_the_withdrawal_is_recorded(
    dave, lab
):
    olga = factories.UserFactory(email="olga@example.org", name="Olga")
    lab.coordinators.add(olga)
    services.research_consent_give(community=lab, by=dave)
    LearningCommunity.objects.filter(pk=lab.pk).update(
        research_consent_changed_at=timezone.now() - datetime.timedelta(days=3)
    )
    services.research_consent_withdraw(community=stored(lab), by=olga)
    community = stored(lab)
    assert community.research_consent is False
    assert community.research_consent_changed_by == olga
    assert community.research_consent_changed_at > timezone.now() - datetime.timedelta(minutes=1)


@pytest.mark.parametrize("change", ["give", "withdraw"])
def test_a_coordinator_of_another_community_can_neither_give_nor_withdraw(dave, lab, change):
    other = factories.UserFactory(email="other@example.org")
    factories.LearningCommunityFactory(name="Other LC").coordinators.add(other)
    if change == "withdraw":
        services.research_consent_give(community=lab, by=dave)
    before = stored(lab)
    with pytest.raises(DomainError, match="Only a coordinator of this learning community"):
        getattr(services, f"research_consent_{change}")(community=lab, by=other)
    after = stored(lab)
    assert (after.research_consent, after.research_consent_changed_by) == (
        before.research_consent,
        before.research_consent_changed_by,
    )


def test_an_outsider_cannot_give_consent(lab):
    with pytest.raises(DomainError, match="Only a coordinator of this learning community"):
        services.research_consent_give(community=lab, by=factories.UserFactory())
    assert stored(lab).research_consent is False


def test_a_coordinator_removed_a_moment_ago_is_refused_on_the_stored_community(dave, lab):
    """The check reads the stored coordinators, not what the caller loaded earlier."""
    loaded = stored(lab)
    lab.coordinators.remove(dave)
    with pytest.raises(DomainError, match="Only a coordinator"):
        services.research_consent_give(community=loaded, by=dave)
    assert stored(lab).research_consent is False


def test_giving_twice_or_withdrawing_nothing_says_so_and_keeps_the_record(dave, lab):
    with pytest.raises(DomainError, match="no consent to withdraw"):
        services.research_consent_withdraw(community=lab, by=dave)
    assert stored(lab).research_consent_changed_at is None
    services.research_consent_give(community=lab, by=dave)
    recorded = stored(lab).research_consent_changed_at
    with pytest.raises(DomainError, match="already given"):
        services.research_consent_give(community=lab, by=dave)
    assert stored(lab).research_consent_changed_at == recorded


def test_the_refusal_is_in_dutch_for_a_dutch_person(lab):
    with (
        translation.override("nl"),
        pytest.raises(DomainError, match="Alleen een coördinator van deze learning community"),
    ):
        services.research_consent_give(community=lab, by=factories.UserFactory())


def test_consent_of_a_community_deleted_meanwhile_is_refused_not_a_crash(dave, lab):
    loaded = stored(lab)
    LearningCommunity.objects.filter(pk=lab.pk).delete()
    with pytest.raises(DomainError):
        services.research_consent_give(community=loaded, by=dave)
