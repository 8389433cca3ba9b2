"""The cross-case rule (SMS-TOOL.md) on data with known shares, its loader, and the demo cases."""

import datetime
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from django.conf import settings

from motives.models import Motive
from partnerships.models import LearningCommunity
from sessions.interchange.format import import_session, parse
from sessions.models import Phase
from sessions.research.cross_case import (
    Case,
    CrossCaseError,
    build_cross_case,
    compute,
    is_marked,
    latest_dialogue_sessions,
    parse_threshold,
    percent_shown,
    sessions_by_ids,
)
from tests import factories

STUDENTS = "development.students"
NETWORK = "capital.network"
TEACHERS = "development.teachers"  # offered to education partners only
PRACTICE_PARTNERS = "development.practice-partners"  # offered to practice partners only


def case(session_id, *, education=0, practice=0, sector="ICT"):
    return Case(
        session_id=session_id,
        learning_community=f"LC {session_id}",
        sector=sector,
        education_orgs=education,
        practice_orgs=practice,
    )


@pytest.fixture
def motives(db):
    return list(Motive.objects.active().in_catalogue_order())


def mark_for(result, code, session_id, side):
    for motive, marks in result.rows:
        if motive.code == code:
            for mark in marks:
                if mark.case.session_id == session_id and mark.side == side:
                    return mark
    raise AssertionError(f"no mark for {code} {session_id} {side}")


# --- the rule on constructed counts ------------------------------------------------


def test_a_share_exactly_at_the_threshold_is_marked(motives):
    result = compute(
        [case(1, practice=4)], motives, {(1, "practice", NETWORK): 3}, threshold="0.75"
    )
    mark = mark_for(result, NETWORK, 1, "practice")
    assert (mark.named, mark.organisations, mark.share) == (3, 4, Fraction(3, 4))
    assert mark.marked


def test_a_share_just_below_the_threshold_is_not_marked(motives):
    result = compute([case(1, education=3)], motives, {(1, "education", NETWORK): 2})
    mark = mark_for(result, NETWORK, 1, "education")
    assert mark.share == Fraction(2, 3)
    assert not mark.marked


@pytest.mark.parametrize(
    ("named", "organisations", "threshold"),
    [(3, 4, "0.75"), (7, 10, "0.7"), (7, 100, "0.07"), (29, 100, "0.29"), (1, 3, Fraction(1, 3))],
)
def test_shares_at_the_threshold_are_marked_without_floating_point_surprises(
    named, organisations, threshold
):
    assert is_marked(named, organisations, parse_threshold(threshold))
    assert not is_marked(named - 1, organisations, parse_threshold(threshold))


def test_a_side_without_organisations_is_never_marked_and_has_share_zero(motives):
    result = compute([case(1, education=2, practice=0)], motives, {(1, "education", STUDENTS): 2})
    practice = mark_for(result, STUDENTS, 1, "practice")
    assert (practice.organisations, practice.share, practice.marked) == (0, 0, False)
    assert mark_for(result, STUDENTS, 1, "education").marked


def test_a_motive_not_offered_to_a_side_is_never_marked_for_it(motives):
    counts = {(1, "practice", TEACHERS): 5, (1, "education", PRACTICE_PARTNERS): 3}
    result = compute([case(1, education=3, practice=5)], motives, counts)
    for code, side in ((TEACHERS, "practice"), (PRACTICE_PARTNERS, "education")):
        mark = mark_for(result, code, 1, side)
        assert (mark.offered, mark.named, mark.share, mark.marked) == (False, 0, 0, False)


def test_a_threshold_of_one_marks_only_what_every_organisation_named(motives):
    counts = {(1, "practice", STUDENTS): 5, (1, "practice", NETWORK): 4}
    result = compute([case(1, practice=5)], motives, counts, threshold=1)
    assert mark_for(result, STUDENTS, 1, "practice").marked
    assert not mark_for(result, NETWORK, 1, "practice").marked


def test_rows_follow_the_catalogue_and_each_case_lists_practice_before_education(motives):
    result = compute([case(1, practice=1), case(2, education=1)], motives, {})
    assert [motive.code for motive, _marks in result.rows] == [m.code for m in motives]
    _motive, marks = result.rows[0]
    assert [(m.case.session_id, m.side) for m in marks] == [
        (1, "practice"),
        (1, "education"),
        (2, "practice"),
        (2, "education"),
    ]
    assert [cluster.code for cluster, _rows in result.clusters()] == [
        "legitimising",
        "development",
        "capital",
        "societal",
    ]


def test_marked_rows_keep_only_motives_marked_for_some_case(motives):
    result = compute([case(1, practice=2)], motives, {(1, "practice", NETWORK): 2})
    assert [motive.code for motive, _marks in result.marked_rows()] == [NETWORK]


def test_the_json_data_has_the_public_shape_with_shares_rounded_to_four_decimals(motives):
    result = compute(
        [case(7, education=3, practice=4, sector="Zorg")],
        motives,
        {(7, "education", NETWORK): 2, (7, "practice", NETWORK): 3},
    )
    data = result.as_data()
    assert data["threshold"] == 0.75
    assert data["cases"] == [
        {
            "learning_community": "LC 7",
            "sector": "Zorg",
            "session": 7,
            "education_orgs": 3,
            "practice_orgs": 4,
            "session_title": "",
            "setting": "",
        }
    ]
    network = [m for m in data["marks"] if m["motive"] == NETWORK]
    assert network == [
        {
            "motive": NETWORK,
            "sector": "Zorg",
            "side": "practice",
            "share": 0.75,
            "marked": True,
            "learning_community": "LC 7",
            "session": 7,
            "named": 3,
            "organisations": 4,
            "offered": True,
            "small_n": False,
        },
        {
            "motive": NETWORK,
            "sector": "Zorg",
            "side": "education",
            "share": 0.6667,
            "marked": False,
            "learning_community": "LC 7",
            "session": 7,
            "named": 2,
            "organisations": 3,
            "offered": True,
            "small_n": False,
        },
    ]
    assert len(data["marks"]) == len(motives) * 2


def test_csv_rows_have_a_header_and_one_row_per_mark(motives):
    result = compute([case(1, practice=4), case(2, education=2)], motives, {})
    rows = list(result.csv_rows())
    assert rows[0][:7] == [
        "learning_community",
        "sector",
        "session",
        "motive",
        "side",
        "share",
        "marked",
    ]
    assert len(rows) == 1 + len(motives) * 2 * 2


def test_csv_names_that_a_spreadsheet_would_run_as_a_formula_are_made_harmless(motives):
    hostile = Case(
        session_id=1,
        learning_community='=HYPERLINK("http://evil.example")',
        sector="@SUM(A1)",
        education_orgs=1,
        practice_orgs=1,
    )
    _header, first, *_rest = compute([hostile], motives, {}).csv_rows()
    assert first[:2] == ['\'=HYPERLINK("http://evil.example")', "'@SUM(A1)"]


@pytest.mark.parametrize("value", ["0", "-0.1", "1.01", "abc", "", "nan", "inf", "3/4"])
def test_a_threshold_outside_zero_to_one_or_not_a_number_is_refused(value):
    with pytest.raises(CrossCaseError):
        parse_threshold(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.75", Fraction(3, 4)),
        ("1", Fraction(1)),
        (Decimal("0.05"), Fraction(1, 20)),
        (0.7, Fraction(7, 10)),
    ],
)
def test_a_threshold_is_read_exactly(value, expected):
    assert parse_threshold(value) == expected


@pytest.mark.parametrize(
    ("named", "organisations", "threshold", "shown"),
    [
        (3, 4, "0.75", 75),
        (2, 3, "0.75", 67),
        (4, 5, "0.75", 80),
        (7496, 10000, "0.75", Decimal("74.9")),  # 75% would contradict "not marked"
        (7549, 10000, "0.7549", Decimal("75.5")),  # 75% would contradict "marked"
    ],
)
def test_the_percentage_shown_never_contradicts_the_mark(
    motives, named, organisations, threshold, shown
):
    result = compute(
        [case(1, practice=organisations)],
        motives,
        {(1, "practice", NETWORK): named},
        threshold=threshold,
    )
    assert percent_shown(mark_for(result, NETWORK, 1, "practice"), result.threshold) == shown


# --- loading from the database -----------------------------------------------------


def test_only_submitted_organisations_count_and_not_answered_counts_as_no(db):
    session = factories.research_case(
        sector="ICT",
        practice=[{NETWORK}, {NETWORK}, set()],
        education=[{NETWORK}],
        not_submitted=[{NETWORK}, {NETWORK}],
    )
    unanswered = factories.OrganisationFactory(community=session.community, partner_type="practice")
    factories.PreparationFactory(
        session=session, organisation=unanswered, submitted_at=datetime.datetime.now(datetime.UTC)
    )
    result = build_cross_case([session])
    assert (result.cases[0].practice_orgs, result.cases[0].education_orgs) == (4, 1)
    practice = mark_for(result, NETWORK, session.pk, "practice")
    assert (practice.named, practice.organisations, practice.marked) == (2, 4, False)
    assert mark_for(result, NETWORK, session.pk, "education").marked


def test_each_community_is_represented_by_its_latest_session_that_reached_the_dialogue(db):
    lab = factories.LearningCommunityFactory(name="B Lab", sector="Techniek", research_consent=True)
    older = factories.research_case(
        sector="Techniek", community=lab, date=datetime.date(2024, 1, 1)
    )
    latest = factories.research_case(
        sector="Techniek", community=lab, phase=Phase.AGREEMENTS, date=datetime.date(2025, 1, 1)
    )
    factories.research_case(sector="Techniek", community=lab, phase=Phase.PREPARATION, date=None)
    factories.research_case(
        sector="Techniek", community=lab, phase=Phase.DRAFT, date=datetime.date(2026, 1, 1)
    )
    undated = factories.research_case(sector="Techniek", community=lab, date=None)
    care = factories.research_case(sector="Zorg", name="A Zorg", phase=Phase.DIALOGUE)
    factories.research_case(sector="Economie", name="C Economie", phase=Phase.PREPARATION)
    assert latest_dialogue_sessions() == [care, latest]
    assert {older.pk, undated.pk}.isdisjoint(s.pk for s in latest_dialogue_sessions())


def test_explicit_sessions_keep_their_order_once_each_even_from_one_community(db):
    lab = factories.LearningCommunityFactory(name="Lab", sector="Techniek", research_consent=True)
    first = factories.research_case(sector="Techniek", community=lab)
    second = factories.research_case(sector="Techniek", community=lab)
    assert sessions_by_ids([second.pk, first.pk, second.pk]) == [second, first]
    result = build_cross_case(sessions_by_ids([second.pk, first.pk]))
    assert [c.session_id for c in result.cases] == [second.pk, first.pk]


def test_explicit_sessions_must_exist_and_have_reached_the_dialogue(db):
    closed = factories.research_case(sector="ICT")
    early = factories.research_case(sector="ICT", phase=Phase.PREPARATION)
    with pytest.raises(CrossCaseError, match="no session with id 999999"):
        sessions_by_ids([closed.pk, 999999])
    with pytest.raises(CrossCaseError, match=f"{early.pk} \\(preparation\\) has not reached"):
        sessions_by_ids([closed.pk, early.pk])


@pytest.mark.parametrize("number", [2, 5])
def test_loading_takes_the_same_number_of_queries_for_two_or_five_cases(
    db, django_assert_num_queries, number
):
    for index in range(number):
        factories.research_case(
            sector=f"S{index}", practice=[{NETWORK}] * 3, education=[{STUDENTS}] * 2
        )
    with django_assert_num_queries(1):
        sessions = latest_dialogue_sessions()
    with django_assert_num_queries(3):
        result = build_cross_case(sessions)
    assert len(result.cases) == number


# --- the article's five cases (fixtures/research) ------------------------------------

RESEARCH_DIR = Path(settings.BASE_DIR) / "fixtures" / "research"
RESEARCH_FILES = sorted(RESEARCH_DIR.glob("*.json"))
SECTORS = ["ICT", "Techniek", "Educatie", "Economie", "Zorg"]

# Table 2 of the article: respondents per case, (practice "WV", education "OPL").
TABLE_2 = {
    "ICT": (5, 3),
    "Techniek": (5, 5),
    "Educatie": (5, 4),
    "Economie": (5, 2),
    "Zorg": (4, 3),
}

# Tables 3-6 of the article, read from the article (not from the fixtures): per row,
# the (case, side) cells with a cross. WV = practice, OPL = education.
WV, OPL = "practice", "education"
TABLES_3_TO_6 = {
    # Table 3, legitimising motives
    "legitimising.image": {("ICT", WV), ("Techniek", WV), ("Zorg", WV)},
    "capital.recruitment": {
        ("ICT", WV),
        ("Techniek", WV),
        ("Educatie", WV),
        ("Educatie", OPL),
        ("Zorg", WV),
    },
    # Table 4, development motives
    "development.new-perspective": {("ICT", WV), ("Economie", WV)},
    "development.learning-community": {
        ("Educatie", WV),
        ("Educatie", OPL),
        ("Zorg", WV),
        ("Zorg", OPL),
    },
    "development.practice-partners": {("ICT", WV), ("Techniek", WV), ("Economie", WV)},
    "development.teachers": {("ICT", OPL)},
    "development.students": {(sector, side) for sector in SECTORS for side in (WV, OPL)},
    # Table 5, capital motives
    "capital.network": {("ICT", WV), ("ICT", OPL), ("Techniek", WV)},
    "capital.innovation": {
        ("ICT", WV),
        ("Techniek", WV),
        ("Techniek", OPL),
        ("Educatie", WV),
        ("Educatie", OPL),
        ("Economie", WV),
        ("Zorg", WV),
        ("Zorg", OPL),
    },
    "capital.financial": {("ICT", WV), ("Techniek", OPL), ("Economie", WV)},
    "capital.curriculum": {("ICT", WV), ("ICT", OPL), ("Techniek", OPL)},
    # Table 6, societal motives
    "societal.quality": {("Educatie", WV), ("Educatie", OPL), ("Zorg", WV), ("Zorg", OPL)},
    "societal.educating-students": {("ICT", WV), ("Economie", WV)},
}


def test_there_is_one_research_file_per_case_of_the_article():
    assert len(RESEARCH_FILES) == 5


@pytest.mark.parametrize("path", RESEARCH_FILES, ids=lambda p: p.name)
def test_every_research_file_is_a_valid_session_that_imports(db, path):
    data = json.loads(path.read_text(encoding="utf-8"))
    parse(data)
    session = import_session(data)
    assert session.phase in (Phase.DIALOGUE, Phase.AGREEMENTS, Phase.CLOSED)
    assert session.preparations.filter(submitted_at__isnull=True).count() == 0


@pytest.fixture
def article_cases(db):
    sessions = [
        import_session(json.loads(path.read_text(encoding="utf-8"))) for path in RESEARCH_FILES
    ]
    return build_cross_case(sessions)


def test_the_research_cases_have_the_respondents_of_table_2(article_cases):
    counts = {c.sector: (c.practice_orgs, c.education_orgs) for c in article_cases.cases}
    assert [c.sector for c in article_cases.cases] == SECTORS
    assert counts == TABLE_2


def test_the_research_cases_reproduce_the_marks_of_tables_3_to_6(article_cases):
    differences = []
    for motive, marks in article_cases.rows:
        expected = TABLES_3_TO_6.get(motive.code, set())
        for mark in marks:
            article = (mark.case.sector, mark.side) in expected
            if mark.marked != article:
                differences.append(
                    f"{motive.code} {mark.case.sector} {mark.side}: "
                    f"{mark.named}/{mark.organisations} marked={mark.marked}, article={article}"
                )
    assert differences == []


def test_the_research_cases_include_shares_exactly_at_the_threshold(article_cases):
    at_threshold = [m for m in article_cases.marks() if m.share == Fraction(3, 4)]
    assert at_threshold
    assert all(m.marked for m in at_threshold)


# --- consent ------------------------------------------------------------------------


def test_a_community_without_consent_is_no_case_until_its_coordinator_agrees(db):
    agreed = factories.research_case(sector="ICT", name="A agreed")
    silent = factories.research_case(sector="Zorg", name="B silent", consent=False)
    assert latest_dialogue_sessions() == [agreed]
    LearningCommunity.objects.filter(pk=silent.community_id).update(research_consent=True)
    assert latest_dialogue_sessions() == [agreed, silent]


@pytest.mark.parametrize("phase", [Phase.CLOSED, Phase.PREPARATION])
def test_an_explicit_session_without_consent_is_refused_by_its_id_and_nothing_else(db, phase):
    agreed = factories.research_case(sector="ICT")
    silent = factories.research_case(
        sector="Zorgsector",
        name="LC Stil",
        phase=phase,
        date=datetime.date(2024, 5, 1),
        consent=False,
    )
    with pytest.raises(CrossCaseError) as refused:
        sessions_by_ids([agreed.pk, silent.pk])
    message = str(refused.value)
    assert message.startswith(f"Session {silent.pk} is not available for research")
    for said in ("LC Stil", "Zorgsector", silent.title, phase, "2024"):
        assert said not in message


def test_the_computation_itself_refuses_a_session_without_consent(db):
    silent = factories.research_case(sector="ICT", consent=False)
    with pytest.raises(CrossCaseError, match="consenting"):
        build_cross_case([silent])


def test_with_the_five_research_files_one_without_consent_leaves_and_the_others_are_unchanged(
    db,
):
    for path in RESEARCH_FILES:
        import_session(json.loads(path.read_text(encoding="utf-8")))
    before = build_cross_case(latest_dialogue_sessions())
    zorg = LearningCommunity.objects.get(sector="Zorg")
    LearningCommunity.objects.filter(pk=zorg.pk).update(research_consent=False)
    after = build_cross_case(latest_dialogue_sessions())

    def shares(result):
        return [
            (m.motive.code, m.case.session_id, m.side, m.named, m.organisations, m.marked)
            for m in result.marks()
        ]

    assert [c.sector for c in after.cases] == ["ICT", "Techniek", "Educatie", "Economie"]
    assert zorg.pk not in {c.community_id for c in after.cases}
    zorg_session = next(c.session_id for c in before.cases if c.sector == "Zorg")
    assert shares(after) == [s for s in shares(before) if s[1] != zorg_session]


# --- n per column -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("organisations", "small"), [(0, True), (1, True), (2, True), (3, False), (5, False)]
)
def test_a_column_over_fewer_than_three_organisations_is_flagged_in_json_and_csv(
    motives, organisations, small
):
    result = compute([case(1, practice=organisations, education=4)], motives, {})
    data = result.as_data()
    flags = {m["side"]: m["small_n"] for m in data["marks"] if m["motive"] == NETWORK}
    assert flags == {"practice": small, "education": False}
    header, *rows = result.csv_rows()
    assert header[-1] == "small_n"
    assert {row[4]: row[-1] for row in rows if row[3] == NETWORK} == {
        "practice": "true" if small else "false",
        "education": "false",
    }
    assert result.cases[0].small_n("practice") is small
