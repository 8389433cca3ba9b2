"""Small things a user noticed on the way (issue 13), each where a user would see it."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from motives.models import Motive
from sessions.invitations import services as invitations
from sessions.models import Phase
from tests import factories
from tests.tasks import delivered


@pytest.fixture
def dialogue(session):
    for organisation in (session.education, session.practice):
        preparation = session.preparations.get(organisation=organisation)
        factories.AnswerFactory(
            preparation=preparation,
            motive=Motive.objects.get(code="capital.network"),
            applies=organisation == session.education,
        )
        preparation.submitted_at = timezone.now()
        preparation.save()
    session.phase = Phase.DIALOGUE
    session.save()
    return session


def dutch(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    return client


def test_the_comparison_chart_caption_is_not_called_quick_scan(sign_in, dialogue):
    page = sign_in("carol").get(reverse("session_comparison", args=[dialogue.pk])).text
    caption = re.search(r'<figcaption id="side-chart-caption"[^>]*>([^<]*)<', page).group(1)
    assert caption.startswith("For each cluster")
    assert "Quick Scan" not in caption and "Quickscan" not in caption


def test_a_figcaption_is_the_last_child_of_its_figure(sign_in, dialogue):
    page = sign_in("carol").get(reverse("session_comparison", args=[dialogue.pk])).text
    for figure in re.findall(r"<figure.*?</figure>", page, re.S):
        assert re.search(r"</figcaption>\s*</figure>$", figure), figure[-200:]


def test_one_education_partner_is_singular_in_the_matrix(sign_in, dialogue):
    page = dutch(sign_in("carol")).get(reverse("session_comparison", args=[dialogue.pk])).text
    assert "1 onderwijspartner, 0 praktijkpartners" in page
    assert "1 onderwijspartners" not in page


def test_moreel_appel_is_spelled_with_the_accent():
    with translation.override("nl"):
        text = translation.gettext(
            "Contributing to complex societal issues; external pressure or a moral appeal."
        )
    assert "moreel appèl" in text


def test_the_invitation_mail_names_the_community_once(session):
    session.community.name = "Learning Community Zorg"
    session.community.save()
    with translation.override("nl"), delivered():
        invitations.invitation_create(
            session=session,
            by=session.people["dave"],
            email="nieuw@example.org",
            role="member",
            organisation=session.practice,
            link_builder=lambda token: f"https://example.org/invite/{token}/",
        )
    body = " ".join(mail.outbox[0].body.split())
    assert "van Learning Community Zorg in de SMS-tool" in body
    assert "learning community Learning Community" not in body


def test_an_administrator_is_not_told_that_they_can_be_invited(client, db):
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = dutch(client).get(reverse("home")).text
    assert 'id="administrator-home"' in page
    assert "kan u uitnodigen" not in page


def test_every_page_has_a_meta_description(client, db):
    page = client.get(reverse("login")).text
    assert re.search(r'<meta name="description" content="[^"]{40,}">', page)


def test_the_quick_scan_answer_page_offers_no_sign_in_to_anonymous_participants(session):
    scan = factories.QuickScanFactory(title="Workshop", created_by=session.people["carol"])
    page = Client().get(reverse("quickscan_join", args=[scan.code])).text
    assert reverse("login") not in page


def test_the_quick_scan_has_a_full_screen_qr_slide(client, session):
    scan = factories.QuickScanFactory(title="Workshop", created_by=session.people["carol"])
    client.force_login(session.people["carol"])
    page = client.get(reverse("quickscan_detail", args=[scan.pk])).text
    assert 'href="#qs-qr-slide"' in page
    slide = page[page.index('id="qs-qr-slide"') :].split("qs-qr-slide-close")[0]
    assert "<svg" in slide  # the QR code itself
    assert scan.code in slide


def test_the_community_page_offers_remove_only_where_it_can_be_done(client, session):
    idle = factories.OrganisationFactory(community=session.community, name="Nog Niet Bezig BV")
    client.force_login(session.people["dave"])
    page = client.get(reverse("community_detail", args=[session.community.pk])).text
    community = session.community.pk
    assert reverse("organisation_remove", args=[community, idle.pk]) in page
    assert reverse("organisation_remove", args=[community, session.education.pk]) not in page
    assert "haal de organisatie eerst uit die sessies" in page
