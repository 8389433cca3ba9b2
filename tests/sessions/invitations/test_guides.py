"""The Fase 1 process guide (procesbegeleider) of one organisation, as people use it.

The seed: "Evt. kan een procesbegeleider aangesteld worden". A member (or the
coordinator) invites the guide; the guide reads and edits that organisation's draft
in that session only, never submits it, and sees no other organisation's format.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from motives.models import Motive
from sessions.models import Invitation, InvitationRole, Phase
from tests import factories
from tests.tasks import commit_each_request, delivered

LINK = re.compile(r"https?://testserver(/invite/[\w-]+/)")


@pytest.fixture(autouse=True)
def requests_commit(monkeypatch):
    commit_each_request(monkeypatch)


@pytest.fixture
def education(session):
    return session.preparations.get(organisation=session.education)


@pytest.fixture
def practice(session):
    return session.preparations.get(organisation=session.practice)


@pytest.fixture
def guide(session, education):
    person = factories.UserFactory(email="gina@example.org", name="Gina Guide")
    education.guides.add(person)
    return person


def url(preparation, name="preparation_detail"):
    return reverse(name, args=[preparation.session_id, preparation.pk])


def network_field(kind):
    return f"{kind}_{Motive.objects.get(code='capital.network').pk}"


def test_a_member_invites_a_guide_who_accepts_and_then_edits_the_draft(
    client, sign_in, session, education
):
    sign_in("alice")
    with delivered():
        response = client.post(
            url(education, "preparation_guides"), {"email": "gina@example.org", "name": "Gina"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="gina@example.org")
    assert invitation.role == InvitationRole.GUIDE
    assert invitation.organisation == session.education
    assert "process guide of Hogeschool Zuid" in mail.outbox[-1].body
    path = LINK.search(mail.outbox[-1].body).group(1)

    gina = factories.UserFactory(email="gina@example.org", name="Gina Guide")
    client.force_login(gina)
    client.post(path)
    assert list(education.guides.all()) == [gina]

    page = client.get(url(education))
    assert page.status_code == 200
    assert 'id="preparation-form"' in page.text
    assert "Save and submit" not in page.text  # the organisation submits its own answers
    saved = client.post(
        url(education),
        {
            "version": education.version,
            "save": "1",
            network_field("applies"): "yes",
            network_field("outcome"): "Helped to phrase",
        },
    )
    assert saved.status_code == 302
    assert education.answers.get().intended_outcome == "Helped to phrase"


def test_the_guide_cannot_submit_and_sees_no_other_organisation(
    client, session, education, practice, guide
):
    client.force_login(guide)
    assert client.get(url(education, "preparation_submit")).status_code == 404
    assert client.post(url(education, "preparation_submit"), {"version": "1"}).status_code == 404
    assert client.get(url(practice)).status_code == 404
    assert client.get(url(education, "preparation_participants")).status_code == 404
    assert not education.__class__.objects.get(pk=education.pk).submitted


def test_the_guide_sees_nothing_of_the_joint_phase(client, session, education, practice, guide):
    practice.submitted_at = education.submitted_at = "2026-03-01T10:00:00Z"
    practice.save()
    education.save()
    session.phase = Phase.DIALOGUE
    session.save()
    client.force_login(guide)
    assert client.get(url(education)).status_code == 200  # the format they helped with
    assert client.get(url(practice)).status_code == 404
    assert client.get(reverse("session_comparison", args=[session.pk])).status_code == 404
    assert client.get(reverse("session_report", args=[session.pk])).status_code == 404


def test_the_format_page_shows_who_the_guide_is_to_the_members(
    client, sign_in, session, education, guide
):
    sign_in("alice")
    text = client.get(url(education)).text
    assert "Process guide:" in text and "Gina Guide" in text


def test_removing_the_guide_ends_their_access_at_once(client, sign_in, session, education, guide):
    sign_in("alice")
    response = client.post(
        reverse("preparation_guide_remove", args=[session.pk, education.pk, guide.pk])
    )
    assert response.status_code == 302
    client.force_login(guide)
    assert client.get(url(education)).status_code == 404
    assert client.get(reverse("session_detail", args=[session.pk])).status_code == 404


def test_a_revoked_guide_invitation_no_longer_gives_access(client, sign_in, session, education):
    invitation = factories.InvitationFactory(
        session=session, role=InvitationRole.GUIDE, organisation=session.education
    )
    sign_in("alice")
    client.post(
        reverse(
            "preparation_guide_invitation_revoke", args=[session.pk, education.pk, invitation.pk]
        )
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    accepted = client.post(reverse("invitation_accept", args=[invitation.token]))
    assert "withdrawn" in accepted.text
    assert not education.guides.exists()


def test_another_organisations_member_cannot_invite_a_guide_for_it(
    client, sign_in, session, education
):
    sign_in("bob")
    response = client.post(url(education, "preparation_guides"), {"email": "x@example.org"})
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_a_member_of_the_organisation_cannot_be_its_guide(client, sign_in, session, education):
    sign_in("alice")
    response = client.post(url(education, "preparation_guides"), {"email": "alice@example.org"})
    assert response.status_code == 400
    assert "comes from outside the organisation" in response.text


def test_no_guide_can_be_invited_once_the_joint_dialogue_opened(
    client, sign_in, session, education
):
    session.phase = Phase.DIALOGUE
    session.save()
    sign_in("alice")
    response = client.post(url(education, "preparation_guides"), {"email": "x@example.org"})
    assert response.status_code == 400
    assert "before the joint dialogue opens" in response.text
    assert not Invitation.objects.exists()


def test_the_coordinator_invites_a_guide_from_the_invitation_form(client, sign_in, session):
    sign_in("dave")
    response = client.post(
        reverse("invitation_create", args=[session.pk]),
        {"email": "gina@example.org", "role": "guide", "organisation": session.education.pk},
    )
    assert response.status_code == 302
    assert Invitation.objects.get().role == InvitationRole.GUIDE


def test_a_guide_in_another_community_has_no_access_here(client, session, education):
    """A guide of a like-named organisation elsewhere: the community that granted it counts."""
    elsewhere = factories.DialogueSessionFactory()
    twin = factories.OrganisationFactory(
        community=elsewhere.community, name=session.education.name, partner_type="education"
    )
    stranger = factories.UserFactory()
    factories.PreparationFactory(session=elsewhere, organisation=twin).guides.add(stranger)
    client.force_login(stranger)
    assert client.get(url(education)).status_code == 404
    assert client.get(reverse("session_detail", args=[session.pk])).status_code == 404


def test_a_guide_of_an_organisation_from_another_community_counts_for_nothing(client, session):
    """The last check: even on this session's row, another community's organisation grants
    nothing (services never create such a row; the policy refuses it anyway)."""
    foreign = factories.OrganisationFactory(name="Elsewhere")  # its own community
    stranger = factories.UserFactory()
    preparation = factories.PreparationFactory(session=session, organisation=foreign)
    preparation.guides.add(stranger)
    client.force_login(stranger)
    assert client.get(url(preparation)).status_code == 404
    assert client.get(reverse("session_detail", args=[session.pk])).status_code == 404


def test_the_coordinator_reaches_each_organisations_guide_page_from_the_session_page(
    client, sign_in, session, education, guide
):
    sign_in("dave")
    page = client.get(reverse("session_detail", args=[session.pk])).text
    assert url(education, "preparation_guides") in page
    guides_page = client.get(url(education, "preparation_guides"))
    assert guides_page.status_code == 200 and "Gina Guide" in guides_page.text
    sign_in("alice")
    assert (
        url(education, "preparation_guides")
        not in client.get(reverse("session_detail", args=[session.pk])).text.split(
            "progress-heading"
        )[-1]
    )
