"""The cluster summary pictures: self-contained, labelled SVG that the page and the PDF share."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone, translation

from motives.models import Cluster, Motive
from partnerships.models import PartnerType
from sessions.charts import clusters as charts
from sessions.charts import svg
from sessions.comparison.matrix import build_comparison
from sessions.models import Answer, Phase
from tests import factories

SVG = "{http://www.w3.org/2000/svg}"


def submitted(session, name, partner_type, applying=()):
    organisation = factories.OrganisationFactory(
        community=session.community, name=name, partner_type=partner_type
    )
    preparation = factories.PreparationFactory(
        session=session, organisation=organisation, submitted_at=timezone.now()
    )
    Answer.objects.bulk_create(
        Answer(preparation=preparation, motive=motive, applies=motive.code in applying)
        for motive in Motive.objects.for_partner_type(partner_type)
    )
    return preparation


@pytest.fixture
def comparison(db):
    session = factories.DialogueSessionFactory(phase=Phase.DIALOGUE)
    submitted(
        session,
        "Hogeschool Zuid",
        PartnerType.EDUCATION,
        {"legitimising.mission", "legitimising.image", "capital.network"},
    )
    submitted(session, "Bouwbedrijf Noord", PartnerType.PRACTICE, {"capital.network"})
    return build_comparison(session)


def parse(svg):
    return ET.fromstring(str(svg))


def all_text(root):
    return " ".join(root.itertext())


@pytest.mark.parametrize(
    "draw", [charts.organisation_cluster_chart, charts.side_cluster_chart], ids=["org", "side"]
)
def test_each_chart_is_valid_self_contained_svg_with_a_title_and_description(comparison, draw):
    svg = str(draw(comparison))
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text
    assert root.find(f"{SVG}desc").text
    width, height = float(root.get("width")), float(root.get("height"))
    assert root.get("viewBox") == f"0 0 {width:g} {height:g}"
    assert "DejaVu Sans" in root.get("font-family")
    # nothing that needs page CSS, a script or another file
    for forbidden in ("<script", "<style", "<image", "href=", "<foreignObject", 'class="cmp'):
        assert forbidden not in svg


def test_the_organisation_chart_names_every_organisation_and_cluster_with_percentages(
    comparison,
):
    root = parse(charts.organisation_cluster_chart(comparison))
    text = all_text(root)
    for name in ("Hogeschool Zuid", "Bouwbedrijf Noord"):
        assert name in text
    for cluster in Cluster.objects.all():
        assert cluster.label.split()[0] in text
    legitimising = Motive.objects.for_partner_type(PartnerType.EDUCATION).filter(
        cluster__code="legitimising"
    )
    assert f"{round(200 / legitimising.count())}%" in text  # 2 of the legitimising motives
    assert "0%" in text


def test_the_side_chart_shows_both_sides_per_cluster_as_in_the_quick_scan(comparison):
    text = all_text(parse(charts.side_cluster_chart(comparison)))
    assert "Onderwijspartners (1)" in text or "Education partners (1)" in text
    for cluster in Cluster.objects.all():
        assert cluster.label.split()[0] in text
    capital = Motive.objects.filter(cluster__code="capital").count()
    assert f"{round(100 / capital)}%" in text


def test_a_side_without_organisations_is_written_out_not_drawn_as_zero(db):
    session = factories.DialogueSessionFactory(phase=Phase.DIALOGUE)
    submitted(session, "Bedrijf A", PartnerType.PRACTICE, {"capital.network"})
    submitted(session, "Bedrijf B", PartnerType.PRACTICE)
    with translation.override("en"):
        text = all_text(parse(charts.side_cluster_chart(build_comparison(session))))
    assert text.count("no organisations") == Cluster.objects.count()


def test_labels_are_escaped_inside_the_svg(db):
    session = factories.DialogueSessionFactory(phase=Phase.DIALOGUE)
    submitted(session, "<script>alert(1)</script> & Zn", PartnerType.EDUCATION)
    submitted(session, 'Bedrijf "Noord"', PartnerType.PRACTICE)
    svg = str(charts.organisation_cluster_chart(build_comparison(session)))
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Zn" in svg
    assert "<script>alert(1)</script> & Zn" in all_text(parse(svg))


def test_the_organisation_chart_grows_with_thirty_organisations(db):
    session = factories.DialogueSessionFactory(phase=Phase.DIALOGUE)
    for number in range(2):
        submitted(session, f"Org {number:02}", PartnerType.EDUCATION)
    small = float(parse(charts.organisation_cluster_chart(build_comparison(session))).get("height"))
    for number in range(2, 30):
        submitted(session, f"Org {number:02}", PartnerType.PRACTICE)
    svg = charts.organisation_cluster_chart(build_comparison(session))
    root = parse(svg)
    assert float(root.get("height")) > small + 27 * charts.ORG_ROW
    for number in range(30):
        assert f"Org {number:02}" in all_text(root)


def test_a_long_organisation_name_is_shortened_on_screen_but_kept_whole_in_its_title(db):
    session = factories.DialogueSessionFactory(phase=Phase.DIALOGUE)
    long_name = "Stichting voor Hoger Beroepsonderwijs en Praktijkgericht Onderzoek Zuid"
    submitted(session, long_name, PartnerType.EDUCATION)
    submitted(session, "Bedrijf", PartnerType.PRACTICE)
    root = parse(charts.organisation_cluster_chart(build_comparison(session)))
    titles = [element.text for element in root.iter(f"{SVG}title")]
    assert long_name in titles
    visible = [element.text for element in root.iter(f"{SVG}text")]
    assert long_name not in visible
    assert any(text and text.endswith("…") for text in visible)


def test_the_presentation_draws_the_side_chart_for_one_cluster(comparison):
    text = all_text(parse(charts.side_cluster_chart(comparison, cluster_codes={"capital"})))
    capital = Cluster.objects.get(code="capital")
    assert capital.label.split()[0] in text
    for other in Cluster.objects.exclude(code="capital"):
        assert other.label not in text


def test_the_numbers_for_the_tables_match_the_comparison(comparison):
    rows = charts.organisation_shares(comparison)
    assert [row.column.name for row in rows] == ["Hogeschool Zuid", "Bouwbedrijf Noord"]
    shares = comparison.cluster_shares()
    first = rows[0]
    for cluster, value in first.percents:
        assert value == round(100 * shares[(first.column.organisation_id, cluster.code)])
    sides = {row.cluster.code: row for row in charts.side_shares(comparison)}
    assert sides["capital"].practice == round(
        100
        / Motive.objects.for_partner_type(PartnerType.PRACTICE)
        .filter(cluster__code="capital")
        .count()
    )


def test_wrap_keeps_words_whole_and_limits_the_lines():
    assert svg.wrap("Maatschappelijk gerelateerde motieven", 16) == [
        "Maatschappelijk",
        "gerelateerde",
        "motieven",
    ]
    assert len(svg.wrap("een twee drie vier vijf zes zeven acht", 5, max_lines=2)) == 2
