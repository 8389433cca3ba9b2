"""``manage.py cross_case``: the public JSON and CSV of INTERCHANGE.md."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line

from motives.models import Motive
from sessions.models import Phase
from tests import factories

NETWORK = "capital.network"
STUDENTS = "development.students"


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("cross_case", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def cases(db):
    """Two cases: ICT (4 practice, 3 of them name the network; 2 education) and Zorg (no
    education partners), and a session in preparation that is no case yet."""
    ict = factories.research_case(
        sector="ICT",
        name="LC ICT",
        practice=[{NETWORK, STUDENTS}] * 3 + [{STUDENTS}],
        education=[{STUDENTS}, {NETWORK, STUDENTS}],
    )
    care = factories.research_case(
        sector="Zorg", name="LC Zorg", practice=[{STUDENTS}, {STUDENTS}], phase=Phase.DIALOGUE
    )
    factories.research_case(
        sector="Economie", name="LC Economie", practice=[{NETWORK}], phase=Phase.PREPARATION
    )
    return ict, care


def marks_of(data, code):
    return {
        (m["sector"], m["side"]): (m["share"], m["marked"])
        for m in data["marks"]
        if m["motive"] == code
    }


def test_json_has_the_public_shape_with_every_community_that_reached_the_dialogue(cases):
    ict, care = cases
    data = json.loads(run()[0])
    assert data["threshold"] == 0.75
    assert [
        {
            key: case[key]
            for key in (
                "learning_community",
                "sector",
                "session",
                "education_orgs",
                "practice_orgs",
            )
        }
        for case in data["cases"]
    ] == [
        {
            "learning_community": "LC ICT",
            "sector": "ICT",
            "session": ict.pk,
            "education_orgs": 2,
            "practice_orgs": 4,
        },
        {
            "learning_community": "LC Zorg",
            "sector": "Zorg",
            "session": care.pk,
            "education_orgs": 0,
            "practice_orgs": 2,
        },
    ]
    motives = Motive.objects.active().count()
    assert len(data["marks"]) == motives * 2 * 2
    for mark in data["marks"]:
        assert {"motive", "sector", "side", "share", "marked"} <= set(mark)
        assert mark["side"] in ("education", "practice")
        assert 0.0 <= mark["share"] <= 1.0


def test_three_of_four_at_the_default_threshold_is_marked_and_a_side_without_organisations_is_not(
    cases,
):
    data = json.loads(run()[0])
    assert marks_of(data, NETWORK) == {
        ("ICT", "practice"): (0.75, True),
        ("ICT", "education"): (0.5, False),
        ("Zorg", "practice"): (0.0, False),
        ("Zorg", "education"): (0.0, False),
    }


def test_a_higher_threshold_unmarks_what_falls_below_it(cases):
    data = json.loads(run("--threshold", "0.8")[0])
    assert data["threshold"] == 0.8
    assert marks_of(data, NETWORK)[("ICT", "practice")] == (0.75, False)
    assert marks_of(data, STUDENTS)[("ICT", "practice")] == (1.0, True)


def test_explicit_sessions_are_one_case_each_in_the_order_given(cases):
    ict, care = cases
    again = factories.research_case(sector="ICT", community=ict.community, practice=[{NETWORK}])
    data = json.loads(run("--sessions", str(care.pk), str(again.pk), str(ict.pk))[0])
    assert [case["session"] for case in data["cases"]] == [care.pk, again.pk, ict.pk]


def test_csv_has_one_row_per_mark_with_the_same_fields_and_the_learning_community(cases):
    output, _err = run("--format", "csv")
    rows = list(csv.DictReader(io.StringIO(output)))
    assert len(rows) == Motive.objects.active().count() * 2 * 2
    network = [r for r in rows if r["motive"] == NETWORK and r["sector"] == "ICT"]
    assert network[0] == {
        "learning_community": "LC ICT",
        "sector": "ICT",
        "session": str(cases[0].pk),
        "motive": NETWORK,
        "side": "practice",
        "share": "0.75",
        "marked": "true",
        "named": "3",
        "organisations": "4",
        "offered": "true",
        "threshold": "0.75",
        "small_n": "false",
    }
    assert network[1]["side"] == "education"
    assert network[1]["marked"] == "false"


def test_json_and_csv_agree(cases):
    data = json.loads(run()[0])
    rows = list(csv.DictReader(io.StringIO(run("--format", "csv")[0])))
    assert [(m["motive"], m["sector"], m["side"], m["marked"]) for m in data["marks"]] == [
        (r["motive"], r["sector"], r["side"], r["marked"] == "true") for r in rows
    ]


@pytest.mark.parametrize("value", ["0", "1.5", "abc", "-0.25"])
def test_a_bad_threshold_is_refused_with_the_reason(db, value):
    with pytest.raises(CommandError, match="threshold must be more than 0|not a number"):
        run("--threshold", value)


def test_an_unknown_session_is_refused_by_its_id(cases):
    with pytest.raises(CommandError, match="no session with id 999999"):
        run("--sessions", str(cases[0].pk), "999999")


def test_a_session_before_the_dialogue_is_refused_because_its_formats_are_private(cases):
    early = factories.research_case(sector="ICT", phase=Phase.DRAFT)
    with pytest.raises(CommandError, match="has not reached the joint dialogue"):
        run("--sessions", str(early.pk))


def test_without_any_case_the_output_is_empty_and_stderr_says_why(db):
    output, err = run()
    assert json.loads(output) == {"threshold": 0.75, "group_by": "sector", "cases": [], "marks": []}
    assert (
        "No learning community whose coordinator agreed to the research view has a session "
        "that reached the joint dialogue" in err
    )


# --- consent and small n ------------------------------------------------------------


def test_a_community_without_consent_is_left_out_of_json_and_csv(cases):
    factories.research_case(
        sector="Onderwijs", name="LC Zonder Toestemming", practice=[{NETWORK}], consent=False
    )
    output, _err = run()
    assert "LC Zonder Toestemming" not in output and "Onderwijs" not in output
    assert [case["learning_community"] for case in json.loads(output)["cases"]] == [
        "LC ICT",
        "LC Zorg",
    ]
    assert "LC Zonder Toestemming" not in run("--format", "csv")[0]


def test_an_explicit_session_without_consent_exits_1_naming_only_its_id(cases, capsys):
    silent = factories.research_case(
        sector="Onderwijs", name="LC Zonder Toestemming", practice=[{NETWORK}], consent=False
    )
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(
            ["manage.py", "cross_case", "--sessions", str(cases[0].pk), str(silent.pk)]
        )
    assert exited.value.code == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"Session {silent.pk} is not available for research" in captured.err
    assert "coordinator agreed to the research view" in captured.err
    for said in ("LC Zonder Toestemming", "Onderwijs", silent.title, "closed"):
        assert said not in captured.err


def test_json_and_csv_flag_each_column_over_fewer_than_three_organisations(cases):
    ict, care = cases
    data = json.loads(run()[0])
    flags = {(m["session"], m["side"]): m["small_n"] for m in data["marks"]}
    assert flags == {
        (ict.pk, "practice"): False,  # 4 organisations
        (ict.pk, "education"): True,  # 2
        (care.pk, "practice"): True,  # 2
        (care.pk, "education"): True,  # none
    }
    rows = list(csv.DictReader(io.StringIO(run("--format", "csv")[0])))
    assert [(int(r["session"]), r["side"], r["small_n"] == "true") for r in rows] == [
        (m["session"], m["side"], m["small_n"]) for m in data["marks"]
    ]
