"""The comparison page: who sees it when, the matrix, filters, outcomes, charts, speed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from motives.models import Motive
from partnerships.models import PartnerType
from sessions.models import Answer, Phase
from tests import factories

NETWORK = "capital.network"
TEACHERS = "development.teachers"
RECRUITMENT = "capital.recruitment"
FINANCIAL = "capital.financial"
MISSION = "legitimising.mission"


def answer(preparation, code, applies, outcome=""):
    return factories.AnswerFactory(
        preparation=preparation,
        motive=Motive.objects.get(code=code),
        applies=applies,
        intended_outcome=outcome,
    )


def submit(preparation):
    preparation.submitted_at = timezone.now()
    preparation.save()


@pytest.fixture
def session(session_with_two_organisations):
    """Both formats submitted; the joint dialogue is open.

    Hogeschool Zuid (alice): network ✓ "Stageplaatsen", teachers ✓, financial ✗.
    Bouwbedrijf Noord (bob): network ✓ "Nieuwe collega's", recruitment ✓, financial –.
    """
    session = session_with_two_organisations
    education = session.preparations.get(organisation=session.education)
    practice = session.preparations.get(organisation=session.practice)
    answer(education, NETWORK, True, "Stageplaatsen voor tweedejaars")
    answer(education, TEACHERS, True, "Docenten lopen mee")
    answer(education, FINANCIAL, False)
    answer(practice, NETWORK, True, "Nieuwe collega's vinden")
    answer(practice, RECRUITMENT, True, "Twee vacatures per jaar")
    answer(practice, FINANCIAL, None)
    factories.OtherMotiveFactory(
        preparation=practice, text="Duurzaam bouwen leren", intended_outcome="Een pilot"
    )
    submit(education)
    submit(practice)
    session.phase = Phase.DIALOGUE
    session.save()
    return session


def url(session, **query):
    path = reverse("session_comparison", args=[session.pk])
    if query:
        path += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return path


def label(code):
    return Motive.objects.get(code=code).label_en


# --- who gets in ------------------------------------------------------------


@pytest.mark.parametrize("phase", [Phase.DIALOGUE, Phase.AGREEMENTS, Phase.CLOSED])
@pytest.mark.parametrize("name", ["alice", "bob", "carol", "dave"])
def test_everyone_in_the_session_sees_the_comparison_from_the_dialogue_on(
    sign_in, session, name, phase
):
    session.phase = phase
    session.save()
    response = sign_in(name).get(url(session))
    assert response.status_code == 200
    assert "Stageplaatsen voor tweedejaars" in response.text


@pytest.mark.parametrize("phase", [Phase.DRAFT, Phase.PREPARATION])
@pytest.mark.parametrize("name", ["alice", "carol", "dave"])
def test_before_the_dialogue_the_comparison_is_404_for_everyone(sign_in, session, name, phase):
    session.phase = phase
    session.save()
    assert sign_in(name).get(url(session)).status_code == 404


def test_an_outsider_gets_404(sign_in, session):
    assert sign_in("mallory").get(url(session)).status_code == 404


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, session):
    response = client.get(url(session))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_session_page_links_to_the_comparison_only_from_the_dialogue_on(sign_in, session):
    client = sign_in("alice")
    detail = reverse("session_detail", args=[session.pk])
    assert url(session) in client.get(detail).text
    session.phase = Phase.PREPARATION
    session.save()
    assert url(session) not in client.get(detail).text


def test_with_one_submitted_format_the_page_explains_who_submitted(sign_in, session):
    practice = session.preparations.get(organisation=session.practice)
    practice.submitted_at = None
    practice.save()
    response = sign_in("carol").get(url(session))
    assert response.status_code == 200
    assert "at least 2 organisations" in response.text
    assert "Submitted so far:" in response.text
    assert "Hogeschool Zuid" in response.text
    assert "Not submitted:" in response.text
    assert "Bouwbedrijf Noord" in response.text
    assert "cmp-matrix" not in response.text


# --- the matrix ---------------------------------------------------------------


def test_cells_say_applies_does_not_apply_and_not_answered_with_symbol_and_text(sign_in, session):
    page = sign_in("alice").get(url(session)).text
    for symbol, text in (
        ("✓", "applies"),
        ("✗", "does not apply"),
        ("–", "not answered"),
        ("n/a", "not offered to this organisation"),
    ):
        assert f'aria-hidden="true">{symbol}</span><span class="visually-hidden">{text}</span>' in (
            page
        )
    # and a visible legend says what each symbol means
    assert "not offered to this type of organisation" in page


def test_columns_are_grouped_education_first_then_practice(sign_in, session):
    page = sign_in("bob").get(url(session)).text
    assert (
        'scope="colgroup" colspan="1" class="cmp-side cmp-side-education">Education partners'
        in (page)
    )
    assert page.index('title="Hogeschool Zuid"') < page.index('title="Bouwbedrijf Noord"')
    assert "<caption" in page


def test_each_motive_shows_its_category_and_counts_per_partner_type(sign_in, session):
    page = sign_in("alice").get(url(session)).text
    for category in (
        "shared by all",
        "unique to one organisation",
        "named by nobody",
    ):
        assert category in page
    assert "1 education partner, 1 practice partner" in page  # the network motive


def test_the_category_filter_shows_only_unique_motives(sign_in, session):
    page = sign_in("alice").get(url(session, category="unique")).text
    assert label(TEACHERS) in page
    assert label(RECRUITMENT) in page
    assert label(NETWORK) not in page
    assert label(MISSION) not in page
    assert "Showing 2 of" in page


def test_the_cluster_filter_shows_one_cluster(sign_in, session):
    page = sign_in("alice").get(url(session, cluster="capital")).text
    assert label(NETWORK) in page
    assert label(MISSION) not in page


def test_the_partner_type_filter_keeps_motives_that_side_names(sign_in, session):
    page = sign_in("alice").get(url(session, partner_type="education")).text
    assert label(TEACHERS) in page
    assert label(NETWORK) in page
    assert label(RECRUITMENT) not in page


@pytest.mark.parametrize(
    "query",
    [
        {"category": "bogus"},
        {"cluster": "%3Cscript%3E"},
        {"partner_type": "both"},
        {"category": "unique", "cluster": "nope"},
    ],
)
def test_bad_filter_values_are_ignored_with_a_message(sign_in, session, query):
    response = sign_in("alice").get(url(session, **query))
    assert response.status_code == 200
    assert "A filter value was not recognised and has been ignored." in response.text
    assert "<script>" not in response.text
    if query.get("category") == "unique":
        assert label(NETWORK) not in response.text  # the valid filter still applies
    else:
        assert label(MISSION) in response.text


def test_intended_outcomes_of_all_organisations_are_listed_under_the_motive(sign_in, session):
    page = sign_in("carol").get(url(session)).text
    assert "Intended outcomes (2)" in page
    assert "<details" in page
    assert "Stageplaatsen voor tweedejaars" in page
    assert "Nieuwe collega&#x27;s vinden" in page


def test_prompts_from_the_article_are_shown_next_to_the_motives(sign_in, session):
    page = sign_in("alice").get(url(session)).text
    assert "Only one organisation names this motive. How can it be realised together?" in page
    assert "Nobody names this motive. Is that a conscious choice?" in page
    assert "How can separate and joint motives both be realised?" in page


def test_each_organisations_other_motives_are_shown(sign_in, session):
    page = sign_in("alice").get(url(session)).text
    assert "Other motives" in page
    assert "Duurzaam bouwen leren" in page
    assert "Een pilot" in page


def test_the_cluster_summary_is_drawn_as_svg_with_the_numbers_as_a_table(sign_in, session):
    page = sign_in("alice").get(url(session)).text
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 2
    assert "Education side and practice side per cluster</caption>" in page
    assert "Applicable motives per cluster, per organisation</caption>" in page


def test_changes_since_the_previous_round_are_shown_per_organisation(sign_in, session):
    previous = factories.DialogueSessionFactory(community=session.community, phase=Phase.CLOSED)
    old = factories.PreparationFactory(
        session=previous, organisation=session.education, submitted_at=timezone.now()
    )
    answer(old, MISSION, True)
    answer(old, NETWORK, False)
    session.previous = previous
    session.save()

    page = sign_in("alice").get(url(session)).text

    assert "Changes since the previous round" in page
    section = page[page.index("Changes since the previous round") :]
    assert label(NETWORK) in section  # added
    assert label(MISSION) in section  # dropped
    assert "Did not take part in the previous round." in section  # Bouwbedrijf Noord
    assert "added since the previous round" in page
    assert "dropped since the previous round" in page


def test_without_a_previous_round_there_is_no_changes_section(sign_in, session):
    assert "Changes since the previous round" not in sign_in("alice").get(url(session)).text


def test_text_typed_by_users_is_escaped_in_the_page_and_the_chart(sign_in, session):
    evil = "<script>alert('x')</script>"
    session.education.name = f"Hogeschool {evil}"
    session.education.save()
    preparation = session.preparations.get(organisation=session.education)
    Answer.objects.filter(preparation=preparation, motive__code=NETWORK).update(
        intended_outcome=evil
    )
    factories.OtherMotiveFactory(preparation=preparation, text=evil)

    page = sign_in("alice").get(url(session)).text

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page  # autoescape
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in page  # xml escape in the SVG


# --- speed ------------------------------------------------------------------------


def dialogue_with(organisations):
    """A session in the dialogue with ``organisations`` submitted formats, every motive answered."""
    session = factories.DialogueSessionFactory(phase=Phase.DIALOGUE)
    person = factories.UserFactory()
    motives = list(Motive.objects.active())
    for number in range(organisations):
        partner_type = PartnerType.EDUCATION if number % 3 == 0 else PartnerType.PRACTICE
        organisation = factories.OrganisationFactory(
            community=session.community,
            name=f"Organisatie {organisations}-{number:02}",
            partner_type=partner_type,
        )
        preparation = factories.PreparationFactory(
            session=session, organisation=organisation, submitted_at=timezone.now()
        )
        Answer.objects.bulk_create(
            Answer(
                preparation=preparation,
                motive=motive,
                applies=(number + index) % 3 != 0,
                intended_outcome=f"Opbrengst {number}-{index}",
            )
            for index, motive in enumerate(motives)
            if motive.offered_to(partner_type)
        )
        factories.OtherMotiveFactory(preparation=preparation, text=f"Eigen motief {number}")
        if number == 0:
            factories.MembershipFactory(person=person, organisation=organisation)
    return session, person


def queries_for_page(client, session, person):
    client.force_login(person)
    path = reverse("session_comparison", args=[session.pk])
    assert client.get(path).status_code == 200  # warm-up: session, caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_the_page_runs_the_same_number_of_queries_for_3_and_30_organisations(client, db):
    small = queries_for_page(client, *dialogue_with(3))
    large = queries_for_page(client, *dialogue_with(30))
    assert small == large
    assert large <= 15
