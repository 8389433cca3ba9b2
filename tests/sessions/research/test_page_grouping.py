"""The research page grouped by setting, the article's rows, the decimal comma and the texts
for qualitative coding (intended outcomes and other motives of consenting cases only)."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from partnerships.models import LearningCommunity
from sessions.interchange.format import import_session
from sessions.models import Answer, OtherMotive
from tests import factories

RESEARCH_FILES = sorted((Path(settings.BASE_DIR) / "fixtures" / "research").glob("*.json"))
PAGE = reverse("research_cross_case")
TEXTS = reverse("research_qualitative_csv")


@pytest.fixture
def article(db):
    return [import_session(json.loads(p.read_text(encoding="utf-8"))) for p in RESEARCH_FILES]


def signed_in(client, language):
    client.force_login(factories.ResearcherFactory(email=f"rita-{language}@example.org"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize(
    ("language", "public_public", "public_private", "practice", "grouped"),
    [
        ("nl", "publiek-publiek", "publiek-privaat", "WV", "Gegroepeerd naar setting"),
        ("en", "public-public", "public-private", "Practice", "Grouped by setting"),
    ],
)
def test_the_page_groups_by_setting_in_both_languages(
    client, article, language, public_public, public_private, practice, grouped
):
    html = signed_in(client, language).get(PAGE + "?group_by=setting").content.decode()
    assert grouped in html
    assert public_public in html and public_private in html
    assert "Educatie, Zorg" in html and "ICT, Techniek, Economie" in html
    # n per column: public-public 9 practice, 7 education; public-private 15 and 10.
    for n in (9, 7, 15, 10):
        assert f"n = {n}" in html
    # 3 of 4 needed... at 0.75 of 9 practice partners a mark needs 7.
    assert "≥ 7" in html
    assert practice in html


def test_the_page_grouped_by_sector_still_shows_one_column_pair_per_case(client, article):
    html = signed_in(client, "en").get(PAGE).content.decode()
    for sector in ("ICT", "Techniek", "Educatie", "Economie", "Zorg"):
        assert f'<span class="rc-sector">{sector}</span>' in html
    assert "public-public" not in html.split("<table", 1)[1]


@pytest.mark.parametrize(
    ("language", "table_3", "recruiting", "article_label"),
    [
        (
            "nl",
            "Tabel 3 Legitimerende motieven",
            "Werven personeel",
            "Artikel: “Werven personeel” (Tabel 3)",
        ),
        (
            "en",
            "Table 3 Legitimising motives",
            "Recruiting staff",
            "Article: “Recruiting staff” (Table 3)",
        ),
    ],
)
def test_the_articles_grouping_puts_recruitment_under_table_3_beside_the_catalogue_wording(
    client, article, language, table_3, recruiting, article_label
):
    html = signed_in(client, language).get(PAGE + "?rows=article").content.decode()
    table = html.split("<table", 1)[1]
    assert table_3 in table
    # Table 3 holds Image and Recruiting staff, before Table 4 starts.
    section = table[table.index(table_3) : table.index("</tbody>", table.index(table_3))]
    assert recruiting in section
    assert article_label in section
    catalogue = "Werven nieuwe medewerkers" if language == "nl" else "Recruiting new employees"
    assert catalogue in section
    # The catalogue grouping shows the article's label beside the catalogue wording too.
    default = signed_in(client, language).get(PAGE).content.decode()
    assert article_label in default


def test_the_articles_other_row_labels_are_the_articles_words_in_dutch(client, article):
    html = signed_in(client, "nl").get(PAGE + "?rows=article").content.decode()
    for label in ("Kostenreductie", "mvo door opleiden student", "Ontwikkelen docent"):
        assert f"“{label}”" in html


@pytest.mark.parametrize("typed", ["0,75", "0.75", " 0,75 "])
def test_the_threshold_accepts_the_dutch_decimal_comma_and_the_point(client, article, typed):
    response = signed_in(client, "nl").get(PAGE, {"threshold": typed})
    html = response.content.decode()
    assert "Voer een getal in" not in html
    assert response.context["threshold_percent"] == 75
    zero_eight = signed_in(client, "nl").get(PAGE, {"threshold": "0,8"})
    assert zero_eight.context["threshold_percent"] == 80


@pytest.mark.parametrize("typed", ["0,7,5", "1.000,5", "drie"])
def test_a_threshold_that_is_no_number_still_gets_a_message(client, article, typed):
    response = signed_in(client, "nl").get(PAGE, {"threshold": typed})
    assert response.status_code == 200
    assert response.context["form"].errors["threshold"]


def test_the_dutch_page_shows_the_threshold_with_a_comma(client, article):
    html = signed_in(client, "nl").get(PAGE).content.decode()
    assert 'value="0,75"' in html


def test_the_csv_download_follows_the_grouping_of_the_page(client, article):
    html = signed_in(client, "en").get(PAGE + "?group_by=setting").content.decode()
    assert "group_by=setting" in html
    response = client.get(reverse("research_cross_case_csv") + "?group_by=setting")
    header = next(csv.reader(io.StringIO(response.content.decode())))
    assert header[0] == "setting"


# --- the texts for qualitative coding ------------------------------------------------


def texts(client, query=""):
    response = client.get(TEXTS + query)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    header, *rows = csv.reader(io.StringIO(response.content.decode()))
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.fixture
def two_cases(db):
    agreed = factories.research_case(sector="ICT", name="LC Open", practice=[{"capital.network"}])
    silent = factories.research_case(
        sector="Zorg", name="LC Stil", practice=[{"capital.network"}], consent=False
    )
    for session, word in ((agreed, "open"), (silent, "secret")):
        preparation = session.preparations.get()
        Answer.objects.filter(preparation=preparation, motive__code="capital.network").update(
            intended_outcome=f"=HYPERLINK {word} outcome"
        )
        OtherMotive.objects.create(
            preparation=preparation, position=1, text=f"{word} motive", intended_outcome="more"
        )
    return agreed, silent


def test_the_texts_come_per_case_side_and_motive_from_consenting_communities_only(
    client, two_cases
):
    agreed, _silent = two_cases
    rows = texts(signed_in(client, "en"))
    assert [(r["learning_community"], r["side"], r["kind"], r["motive"]) for r in rows] == [
        ("LC Open", "practice", "intended_outcome", "capital.network"),
        ("LC Open", "practice", "other_motive", ""),
    ]
    assert rows[0]["intended_outcome"] == "'=HYPERLINK open outcome"  # made harmless
    assert rows[0]["session"] == str(agreed.pk)
    assert rows[1]["text"] == "open motive"
    body = json.dumps(rows)
    assert "secret" not in body and "LC Stil" not in body
    # No organisation names and nobody's name or e-mail.
    for organisation in agreed.community.organisations.all():
        assert organisation.name not in body


def test_withdrawn_consent_takes_the_texts_away_at_once(client, two_cases):
    agreed, _silent = two_cases
    as_researcher = signed_in(client, "en")
    assert texts(as_researcher)
    LearningCommunity.objects.filter(pk=agreed.community_id).update(research_consent=False)
    assert texts(as_researcher) == []


def test_guessing_the_id_of_a_community_without_consent_gives_no_texts(client, two_cases):
    _agreed, silent = two_cases
    response = signed_in(client, "en").get(TEXTS + f"?cases={silent.community_id}")
    assert response.status_code == 302  # back to the page, which says the case is unavailable
    assert "secret" not in response.content.decode()


def test_a_coordinator_of_the_community_cannot_download_the_texts(client, two_cases):
    agreed, _silent = two_cases
    coordinator = factories.UserFactory(email="coord@example.org")
    agreed.community.coordinators.add(coordinator)
    client.force_login(coordinator)
    assert client.get(TEXTS).status_code == 404
