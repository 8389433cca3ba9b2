"""The format page renders its fields without crispy's templates (speed); the HTML stays the same."""

import re

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse

from motives.models import Cluster, Motive
from sessions.models import PreparationExtra
from sessions.preparation.forms import (
    PRIORITY_CHOICES,
    PreparationForm,
    radios_html,
    select_html,
    text_input_html,
    textarea_html,
)
from tests.factories import AnswerFactory, OtherMotiveFactory

pytestmark = pytest.mark.django_db

CRISPY = Template("{% load crispy_forms_tags %}{{ field|as_crispy_field }}")
RADIOS = Template(
    '{% for radio in field %}<div class="form-check form-check-inline"><input '
    'class="form-check-input" type="radio" name="{{ radio.data.name }}" '
    'value="{{ radio.data.value }}" id="{{ radio.id_for_label }}" '
    '{% if radio.data.selected %}checked{% endif %}><label class="form-check-label" '
    'for="{{ radio.id_for_label }}">{{ radio.choice_label }}</label></div>{% endfor %}'
)


def normal(html):
    html = re.sub(r">\s+", ">", str(html))
    return re.sub(r"\s+", " ", re.sub(r"\s+<", "<", html)).replace(" >", ">")


def crispy(bound):
    return normal(CRISPY.render(Context({"field": bound})))


@pytest.fixture
def motives():
    return list(Motive.objects.active().in_catalogue_order())[:2]


def test_textareas_and_radios_match_crispy_with_values_errors_and_markup(motives):
    first, second = motives
    evil = 'Meer <b>stages</b> & "kennis"'
    form = PreparationForm(
        motives=motives,
        data={
            "version": "1",
            PreparationForm.outcome_name(first): "x" * 5000,  # too long: an error
            PreparationForm.outcome_name(second): evil,
            PreparationForm.applies_name(first): "yes",
        },
    )
    assert not form.is_valid()
    for motive in motives:
        outcome = form[PreparationForm.outcome_name(motive)]
        assert normal(textarea_html(outcome)) == crispy(outcome)
        applies = form[PreparationForm.applies_name(motive)]
        assert normal(radios_html(applies)) == normal(RADIOS.render(Context({"field": applies})))
    assert "&lt;b&gt;stages&lt;/b&gt; &amp; &quot;kennis&quot;" in textarea_html(
        form[PreparationForm.outcome_name(second)]
    )
    assert 'aria-invalid="true"' in textarea_html(form[PreparationForm.outcome_name(first)])


def test_the_other_motives_text_and_cluster_match_crispy(motives):
    cluster = Cluster.objects.order_by("order").first()
    form = PreparationForm(
        motives=motives,
        initial={"version": 1, "other_1_text": 'Eigen "motief" <x>', "other_1_cluster": cluster.pk},
    )
    choices = [("", form.fields["other_1_cluster"].empty_label)] + [
        (c.pk, str(c)) for c in Cluster.objects.order_by("order")
    ]
    for number in (1, 2):
        text = form[f"other_{number}_text"]
        assert normal(text_input_html(text)) == crispy(text)
        chosen = form[f"other_{number}_cluster"]
        assert normal(select_html(chosen, choices)) == crispy(chosen)


def _format_page(client, session):
    preparation = session.preparations.get(organisation=session.education)
    client.force_login(session.people["alice"])
    return reverse("preparation_detail", args=[session.pk, preparation.pk]), preparation


@pytest.mark.parametrize("filled", [False, True])
def test_the_format_page_reads_each_thing_once_however_much_is_filled_in(
    client, session, django_assert_max_num_queries, filled
):
    """12 queries, empty or with every motive answered, three other motives and participants:
    the answers, other motives and participants are read once (they were read three times
    each) and the extra answers come with the preparation, so the count does not grow with
    the answers. The navigation asks one query (five before), the preparation's query
    brings its session and the coordinator and facilitator checks (three fewer) and the
    breadcrumb reads the roles (one fewer): 21 before."""
    page, preparation = _format_page(client, session)
    if filled:
        cluster = Cluster.objects.order_by("order").first()
        for motive in Motive.objects.active().for_partner_type(
            preparation.organisation.partner_type
        ):
            AnswerFactory(preparation=preparation, motive=motive, priority=None)
        for position in (1, 2, 3):
            OtherMotiveFactory(preparation=preparation, position=position, cluster=cluster)
        PreparationExtra.objects.create(preparation=preparation, open_motives="In eigen woorden")
    client.get(page)  # the session row and the like are read once per process
    with django_assert_max_num_queries(12):
        response = client.get(page)
    assert response.status_code == 200
    assert b'name="save"' in response.content
    if filled:
        assert "In eigen woorden" in response.text


def test_the_priority_choice_and_the_open_question_match_crispy(motives):
    first, second = motives
    form = PreparationForm(
        motives=motives,
        initial={
            "version": 1,
            PreparationForm.priority_name(first): "2",
            "open_motives": 'Onze "motieven" <b>zelf</b>',
        },
    )
    for motive in motives:
        priority = form[PreparationForm.priority_name(motive)]
        assert normal(select_html(priority, PRIORITY_CHOICES)) == crispy(priority)
    assert "selected>2<" in select_html(
        form[PreparationForm.priority_name(first)], PRIORITY_CHOICES
    )
    assert normal(textarea_html(form["open_motives"])) == crispy(form["open_motives"])


def test_an_edited_motive_shows_its_new_text_on_the_format_page(client, session):
    """The motive's legend and explanation are rendered once per text and language
    (forms.motive_head_html); an edit in the catalogue shows at once, in both languages."""
    page, preparation = _format_page(client, session)
    motive = Motive.objects.active().for_partner_type(preparation.organisation.partner_type)[0]
    assert motive.label_nl in client.get(page).text
    Motive.objects.filter(pk=motive.pk).update(
        label_nl="Nieuwe naam van dit motief", explanation_nl="Een nieuwe uitleg <b>hier</b>"
    )
    text = client.get(page).text
    assert "Nieuwe naam van dit motief" in text
    assert "Een nieuwe uitleg &lt;b&gt;hier&lt;/b&gt;" in text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(page).text
    assert motive.label_en in english
    assert "Nieuwe naam van dit motief" not in english
    assert 'title="From the article"' in english or 'title="From the SMS-tool format"' in english


def test_the_answer_and_priority_choices_refuse_values_the_page_does_not_offer(motives):
    """The fields take their choices as given (forms.FixedChoices); validation still
    holds them to those choices."""
    first, second = motives
    form = PreparationForm(
        motives=motives,
        data={
            "version": "1",
            PreparationForm.applies_name(first): "maybe",
            PreparationForm.priority_name(first): "7",
            PreparationForm.applies_name(second): "yes",
            PreparationForm.priority_name(second): "1",
        },
    )
    assert not form.is_valid()
    assert set(form.errors) == {
        PreparationForm.applies_name(first),
        PreparationForm.priority_name(first),
    }
    assert form.cleaned_data[PreparationForm.priority_name(second)] == 1


@pytest.mark.parametrize(
    ("language", "words", "not_words"),
    [
        ("nl", ["Nog niet besloten", "Geen prioriteit", "Beoogde opbrengst"], ["No priority"]),
        ("en", ["Not decided yet", "No priority", "Intended outcome"], ["Geen prioriteit"]),
    ],
)
def test_the_format_pages_fields_speak_the_language_of_each_request(
    client, session, language, words, not_words
):
    """The words all motive fields share are translated once per form: the next request,
    in the other language, gets its own."""
    page, _preparation = _format_page(client, session)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en" if language == "nl" else "nl"
    client.get(page)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    text = client.get(page).text
    for word in words:
        assert text.count(word) >= 2, word
    for word in not_words:
        assert word not in text
