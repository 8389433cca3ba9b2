"""Grouping by setting (INTERCHANGE.md, "Research grouping") on the article's five cases.

The expected counts were counted from fixtures/research/*.json (submitted organisations,
``applies: true``) independently of the app, and are written here as plain numbers:
public-public is Educatie + Zorg (practice 5 + 4 = 9, education 4 + 3 = 7),
public-private is ICT + Techniek + Economie (practice 5 + 5 + 5 = 15, education 3 + 5 + 2 = 10).
"""

import csv
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from sessions.interchange.format import import_session
from sessions.research.cross_case import CrossCaseError, build_cross_case, grouped

RESEARCH_FILES = sorted((Path(settings.BASE_DIR) / "fixtures" / "research").glob("*.json"))
PP, PPR = "public-public", "public-private"

# (setting, side, motive): (named, organisations), counted by hand from the fixtures.
COUNTED = {
    (PP, "practice", "capital.recruitment"): (9, 9),
    (PP, "practice", "societal.quality"): (8, 9),
    (PP, "practice", "development.learning-community"): (7, 9),
    (PP, "practice", "capital.innovation"): (7, 9),
    (PP, "practice", "legitimising.image"): (5, 9),
    (PP, "practice", "capital.network"): (1, 9),
    (PP, "education", "development.learning-community"): (7, 7),
    (PP, "education", "societal.quality"): (6, 7),
    (PP, "education", "capital.recruitment"): (4, 7),
    (PPR, "practice", "development.practice-partners"): (14, 15),
    (PPR, "practice", "development.new-perspective"): (13, 15),
    (PPR, "practice", "capital.network"): (12, 15),
    (PPR, "practice", "capital.financial"): (11, 15),  # 73%: just below
    (PPR, "practice", "capital.recruitment"): (11, 15),
    (PPR, "practice", "societal.educating-students"): (10, 15),
    (PPR, "practice", "societal.quality"): (5, 15),
    (PPR, "practice", "development.learning-community"): (4, 15),
    (PPR, "education", "capital.curriculum"): (9, 10),
    (PPR, "education", "development.students"): (9, 10),
    (PPR, "education", "capital.network"): (6, 10),
    (PPR, "education", "societal.quality"): (0, 10),
}
# At 0.75, the marks of each setting (every other motive is unmarked).
MARKED = {
    (PP, "practice"): {
        "capital.recruitment",
        "societal.quality",
        "development.learning-community",
        "capital.innovation",
        "development.students",
    },
    (PP, "education"): {
        "development.learning-community",
        "societal.quality",
        "capital.innovation",
        "development.students",
    },
    (PPR, "practice"): {
        "development.practice-partners",
        "development.new-perspective",
        "capital.network",
        "capital.innovation",
        "development.students",
    },
    (PPR, "education"): {"capital.curriculum", "development.students"},
}


@pytest.fixture
def article(db):
    return [import_session(json.loads(p.read_text(encoding="utf-8"))) for p in RESEARCH_FILES]


def command(*args):
    out = io.StringIO()
    call_command("cross_case", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_group_by_setting_gives_the_shares_counted_by_hand_from_the_five_cases(article):
    data = json.loads(command("--group-by", "setting"))
    assert data["group_by"] == "setting"
    marks = {(m["setting"], m["side"], m["motive"]): m for m in data["marks"]}
    for key, (named, organisations) in COUNTED.items():
        mark = marks[key]
        assert (mark["named"], mark["organisations"]) == (named, organisations), key
        assert mark["share"] == round(named / organisations, 4), key
    assert all("sector" not in m for m in data["marks"])
    assert {m["setting"] for m in data["marks"]} == {PP, PPR}
    assert [g["setting"] for g in data["groups"]] == [PP, PPR]
    assert [(g["practice_orgs"], g["education_orgs"]) for g in data["groups"]] == [(9, 7), (15, 10)]


def test_group_by_setting_marks_the_articles_public_public_public_private_difference(article):
    data = json.loads(command("--group-by", "setting"))
    for (setting, side), expected in MARKED.items():
        marked = {
            m["motive"]
            for m in data["marks"]
            if m["setting"] == setting and m["side"] == side and m["marked"]
        }
        assert marked == expected, (setting, side)


def test_the_share_is_over_all_organisations_of_the_setting_not_a_mean_of_the_cases(article):
    """Public-public practice, legitimising.image: Educatie 1 of 5, Zorg 4 of 4 -> 5 of 9
    (0.5556); the mean of the two cases' shares would be 0.6."""
    data = json.loads(command("--group-by", "setting"))
    image = next(
        m
        for m in data["marks"]
        if (m["setting"], m["side"], m["motive"]) == (PP, "practice", "legitimising.image")
    )
    assert image["share"] == 0.5556


def test_sector_stays_the_default_and_keeps_its_keys(article):
    default = json.loads(command())
    assert default == json.loads(command("--group-by", "sector"))
    assert all("sector" in m and "setting" not in m for m in default["marks"])
    assert [c["setting"] for c in default["cases"]] == [PPR, PPR, PP, PPR, PP]


def test_group_by_setting_as_csv(article):
    rows = list(csv.reader(io.StringIO(command("--group-by", "setting", "--format", "csv"))))
    header, *body = rows
    assert header[:5] == ["setting", "cases", "sectors", "motive", "side"]
    row = next(
        r for r in body if r[0] == PP and r[3] == "capital.recruitment" and r[4] == "practice"
    )
    record = dict(zip(header, row, strict=True))
    assert record["cases"] == "2"
    assert record["sectors"] == "Educatie; Zorg"
    assert (record["named"], record["organisations"], record["marked"]) == ("9", "9", "true")


def test_an_unknown_grouping_is_refused(article):
    with pytest.raises(CrossCaseError):
        grouped(build_cross_case([]), "region")
