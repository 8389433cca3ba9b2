"""Which motive comes from the SMS-tool's fill-in format and which from the article."""

from motives.models import Motive, MotiveSource

# The "S" rows of the catalogue in SMS-TOOL.md.
FORMAT_CODES = {
    "legitimising.mission",
    "development.practice-partners",
    "development.expertise",
    "capital.innovation",
    "capital.knowledge",
    "capital.network",
    "capital.recruitment",
    "capital.financial",
    "societal.educating-students",
    "societal.goals",
}


def test_the_catalogue_marks_the_motives_of_the_seed_format(db):
    marked = set(Motive.objects.filter(source=MotiveSource.FORMAT).values_list("code", flat=True))
    assert marked == FORMAT_CODES
    assert Motive.objects.filter(source=MotiveSource.ARTICLE).count() == 12


def test_the_compact_catalogue_holds_only_the_format_motives(db):
    assert set(Motive.objects.in_catalogue("compact").values_list("code", flat=True)) == (
        FORMAT_CODES
    )
    assert Motive.objects.in_catalogue("extended").count() == 22
