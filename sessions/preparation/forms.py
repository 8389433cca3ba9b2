"""The fill-in format of Fase 1 as a form: one yes/no/undecided choice and outcome per motive."""

import html
from functools import lru_cache

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.template.loader import render_to_string
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from motives.models import Cluster
from sessions.models import (
    MAX_OTHER_MOTIVES,
    OPEN_MOTIVES_MAX_LENGTH,
    OTHER_MOTIVE_MAX_LENGTH,
    OUTCOME_MAX_LENGTH,
    PARTICIPANT_NAME_MAX_LENGTH,
    PRIORITIES,
    REASON_MAX_LENGTH,
    ParticipantRole,
)
from sessions.preparation.services import (
    OPEN_MOTIVES_KEY,
    AnswerInput,
    OtherMotiveInput,
    ParticipantInput,
    applies_key,
    open_motives_of,
    other_key,
    outcome_key,
    priority_key,
    priority_problem,
)


class FixedChoices(BaseChoiceIterator):
    """Choices given to each field as they are: Django normalises a plain list again for
    every field and its widget, which took a quarter of the format form's construction
    (63 choice fields on one page)."""

    def __init__(self, choices):
        self.choices = list(choices)

    def __iter__(self):
        return iter(self.choices)


def translated(choices) -> FixedChoices:
    """``choices`` with their labels in the active language, for one form's many fields:
    each label is translated once instead of once per field each time it is shown."""
    return FixedChoices((value, str(label)) for value, label in choices)


APPLIES_CHOICES = [("yes", _("Yes")), ("no", _("No")), ("", _("Not decided yet"))]
APPLIES_VALUES = {"yes": True, "no": False, "": None}
APPLIES_NAMES = {True: "yes", False: "no", None: ""}
PRIORITY_CHOICES = [("", _("No priority"))] + [(str(p), str(p)) for p in PRIORITIES]
OPEN_QUESTION = _("Which motives does your organisation have to collaborate?")


def _limit(length):
    return _("At most %(count)d characters.") % {"count": length}


class PreparationForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, motives, preparation=None, **kwargs):
        self.motives = motives
        if preparation is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(preparation, motives)
        super().__init__(*args, **kwargs)
        # The words every motive's fields share, translated once (the form is made per request).
        applies_choices, priority_choices = (
            translated(APPLIES_CHOICES),
            translated(PRIORITY_CHOICES),
        )
        outcome_label, outcome_help = gettext("Intended outcome"), _limit(OUTCOME_MAX_LENGTH)
        priority_label = gettext("Priority")
        priority_help = gettext("1, 2 or 3: your three most important motives, each number once.")
        for motive in motives:
            self.fields[self.applies_name(motive)] = forms.ChoiceField(
                label=motive.label,
                choices=applies_choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[self.outcome_name(motive)] = forms.CharField(
                label=outcome_label,
                required=False,
                max_length=OUTCOME_MAX_LENGTH,
                help_text=outcome_help,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[self.priority_name(motive)] = forms.TypedChoiceField(
                label=priority_label,
                choices=priority_choices,
                coerce=int,
                empty_value=None,
                required=False,
                help_text=priority_help,
            )
        self.fields["open_motives"] = forms.CharField(
            label=OPEN_QUESTION,
            required=False,
            max_length=OPEN_MOTIVES_MAX_LENGTH,
            help_text=_("In your own words, before you look at the list. %(limit)s")
            % {"limit": _limit(OPEN_MOTIVES_MAX_LENGTH)},
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        clusters = Cluster.objects.order_by("order")
        for number in range(1, MAX_OTHER_MOTIVES + 1):
            self.fields[f"other_{number}_text"] = forms.CharField(
                label=_("Other motive %(number)d") % {"number": number},
                required=False,
                max_length=OTHER_MOTIVE_MAX_LENGTH,
                help_text=_limit(OTHER_MOTIVE_MAX_LENGTH),
            )
            self.fields[f"other_{number}_cluster"] = forms.ModelChoiceField(
                label=_("Cluster (optional)"),
                queryset=clusters,
                required=False,
                empty_label=_("No cluster"),
            )
            self.fields[f"other_{number}_outcome"] = forms.CharField(
                label=_("Intended outcome"),
                required=False,
                max_length=OUTCOME_MAX_LENGTH,
                help_text=_limit(OUTCOME_MAX_LENGTH),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @staticmethod
    def applies_name(motive):
        return f"applies_{motive.pk}"

    @staticmethod
    def outcome_name(motive):
        return f"outcome_{motive.pk}"

    @staticmethod
    def priority_name(motive):
        return f"priority_{motive.pk}"

    @classmethod
    def initial_from(cls, preparation, motives):
        initial = {"version": preparation.version}
        stored = {answer.motive_id: answer for answer in preparation.answers.all()}
        for motive in motives:
            answer = stored.get(motive.pk)
            if answer is not None:
                initial[cls.applies_name(motive)] = APPLIES_NAMES[answer.applies]
                initial[cls.outcome_name(motive)] = answer.intended_outcome
                initial[cls.priority_name(motive)] = str(answer.priority) if answer.priority else ""
        initial["open_motives"] = open_motives_of(preparation)
        for other in preparation.other_motives.all():
            initial[f"other_{other.position}_text"] = other.text
            initial[f"other_{other.position}_cluster"] = other.cluster_id
            initial[f"other_{other.position}_outcome"] = other.intended_outcome
        return initial

    def clean(self):
        cleaned = super().clean()
        for number in range(1, MAX_OTHER_MOTIVES + 1):
            text = cleaned.get(f"other_{number}_text", "")
            if not text and (
                cleaned.get(f"other_{number}_outcome") or cleaned.get(f"other_{number}_cluster")
            ):
                self.add_error(
                    f"other_{number}_text",
                    _("Describe this motive in a few words, or clear its cluster and outcome."),
                )
        self._check_priorities(cleaned)
        return cleaned

    def _check_priorities(self, cleaned):
        """Each priority once, on a motive marked yes; the message sits at the motive."""
        values = {}
        for motive in self.motives:
            values[applies_key(motive.code)] = APPLIES_VALUES.get(
                cleaned.get(self.applies_name(motive)) or ""
            )
            values[priority_key(motive.code)] = cleaned.get(self.priority_name(motive))
        seen = {}
        for motive in self.motives:
            priority = values[priority_key(motive.code)]
            if priority is None:
                continue
            if values[applies_key(motive.code)] is not True:
                self.add_error(
                    self.priority_name(motive),
                    _("Only a motive that applies (Yes) can have a priority."),
                )
            elif priority in seen:
                self.add_error(
                    self.priority_name(motive),
                    _("Priority %(priority)d is already given to “%(motive)s”.")
                    % {"priority": priority, "motive": seen[priority].label},
                )
            else:
                seen[priority] = motive
        if not self.errors:
            problem = priority_problem(values, self.motives)
            if problem:
                self.add_error(None, problem)

    def answers(self):
        return {
            motive.code: AnswerInput(
                applies=APPLIES_VALUES[self.cleaned_data.get(self.applies_name(motive)) or ""],
                intended_outcome=self.cleaned_data.get(self.outcome_name(motive), ""),
                priority=self.cleaned_data.get(self.priority_name(motive)),
            )
            for motive in self.motives
        }

    def open_motives(self):
        return self.cleaned_data.get("open_motives", "")

    def other_motives(self):
        """Every other-motive slot in order; an empty text is an empty slot."""
        return [
            OtherMotiveInput(
                cluster=self.cleaned_data.get(f"other_{number}_cluster"),
                text=self.cleaned_data.get(f"other_{number}_text", ""),
                intended_outcome=self.cleaned_data.get(f"other_{number}_outcome", ""),
            )
            for number in range(1, MAX_OTHER_MOTIVES + 1)
        ]

    def field_names(self):
        """The service's field keys (see services.preparations) with this form's field names."""
        names = {}
        for motive in self.motives:
            names[applies_key(motive.code)] = self.applies_name(motive)
            names[outcome_key(motive.code)] = self.outcome_name(motive)
            names[priority_key(motive.code)] = self.priority_name(motive)
        names[OPEN_MOTIVES_KEY] = "open_motives"
        for number in range(1, MAX_OTHER_MOTIVES + 1):
            names[other_key("other_text", number)] = f"other_{number}_text"
            names[other_key("other_cluster", number)] = f"other_{number}_cluster"
            names[other_key("other_outcome", number)] = f"other_{number}_outcome"
        return names

    def as_field_values(self, values):
        """The service's stored ``values`` as this form's data: field name -> posted text."""
        clusters = {
            cluster.code: str(cluster.pk) for cluster in self.fields["other_1_cluster"].queryset
        }
        data = {}
        for key, name in self.field_names().items():
            value = values.get(key)
            if key.startswith("applies:"):
                data[name] = APPLIES_NAMES.get(value, "")
            elif key.startswith("priority:"):
                data[name] = str(value) if value else ""
            elif key.startswith("other_cluster:"):
                data[name] = clusters.get(value, "")
            else:
                data[name] = value or ""
        return data

    def clusters(self, theirs=None, conflicts=(), kept=()):
        """Motives grouped by cluster for the template.

        On a conflict page, a motive whose fields both people changed carries the
        colleague's saved answer (``saved``); one whose fields were taken over from
        the colleague is marked ``taken``.
        """
        groups = []
        for motive in self.motives:
            if not groups or groups[-1]["cluster"] != motive.cluster:
                groups.append({"cluster": motive.cluster, "rows": []})
            keys = {applies_key(motive.code), outcome_key(motive.code), priority_key(motive.code)}
            row = {
                "motive": motive,
                "applies": self[self.applies_name(motive)],
                "outcome": self[self.outcome_name(motive)],
                "priority": self[self.priority_name(motive)],
                "taken": bool(keys & set(kept)),
            }
            if theirs is not None and keys & set(conflicts):
                row["saved"] = {
                    "applies": dict(APPLIES_CHOICES)[
                        APPLIES_NAMES[theirs.get(applies_key(motive.code))]
                    ],
                    "intended_outcome": theirs.get(outcome_key(motive.code)) or "",
                }
            groups[-1]["rows"].append(row)
        return groups

    def others(self, theirs=None, conflicts=(), kept=()):
        cluster_list = list(self.fields["other_1_cluster"].queryset)
        clusters = {cluster.code: cluster for cluster in cluster_list}
        cluster_choices = [("", self.fields["other_1_cluster"].empty_label)] + [
            (cluster.pk, str(cluster)) for cluster in cluster_list
        ]
        slots = []
        for number in range(1, MAX_OTHER_MOTIVES + 1):
            keys = {
                other_key(part, number) for part in ("other_text", "other_cluster", "other_outcome")
            }
            slot = {
                "number": number,
                "text": self[f"other_{number}_text"],
                "cluster": self[f"other_{number}_cluster"],
                "outcome": self[f"other_{number}_outcome"],
                "outcome_html": textarea_html(self[f"other_{number}_outcome"]),
                "text_html": text_input_html(self[f"other_{number}_text"]),
                "cluster_html": select_html(self[f"other_{number}_cluster"], cluster_choices),
                "taken": bool(keys & set(kept)),
            }
            if theirs is not None and keys & set(conflicts):
                slot["saved"] = {
                    "text": theirs.get(other_key("other_text", number)) or "",
                    "cluster": clusters.get(theirs.get(other_key("other_cluster", number))),
                    "intended_outcome": theirs.get(other_key("other_outcome", number)) or "",
                }
            slots.append(slot)
        return slots

    def answered_count(self):
        source = self.data if self.is_bound else self.initial
        return sum(1 for motive in self.motives if source.get(self.applies_name(motive)))


def _escape(value: object) -> str:
    """What ``format_html`` does to each argument (Django's ``escape`` is ``html.escape``)."""
    if isinstance(value, SafeData):
        return str(value)
    return html.escape(str(value))


def textarea_html(bound) -> str:
    """The HTML ``as_crispy_field`` gives a textarea (Bootstrap 5), built without templates.

    The format page shows one such field per motive; rendering them through crispy's
    templates took about half of the page's time (bench/format_page.py). Plain string
    formatting with ``_escape`` gives the bytes ``format_html`` gave, in a third of the time.
    """
    widget = bound.field.widget
    field_id = _escape(bound.auto_id)
    errors = list(bound.errors)
    described = f"{field_id}_helptext" + (f" {field_id}_error" if errors else "")
    error_html = (
        format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((number, field_id, error) for number, error in enumerate(errors, 1)),
            ),
        )
        if errors
        else ""
    )
    value = bound.value()
    text = "" if value is None else _escape(value)
    invalid = ' is-invalid" aria-invalid="true' if errors else ""
    cols, rows = widget.attrs.get("cols", 40), widget.attrs.get("rows", 10)
    return mark_safe(  # noqa: S308 - every part is escaped above or here
        f'<div id="div_{field_id}" class="mb-3"><label for="{field_id}" class="form-label">'
        f"{_escape(bound.label)}</label>"
        f'<textarea name="{_escape(bound.html_name)}" cols="{_escape(cols)}" '
        f'rows="{_escape(rows)}" maxlength="{_escape(bound.field.max_length)}" '
        f'class="textarea form-control{invalid}" aria-describedby="{described}" '
        f'id="{field_id}">\n{text}</textarea>{error_html}'
        f'<div id="{field_id}_helptext" class="form-text">{_escape(bound.help_text)}</div></div>'
    )


def radios_html(bound) -> str:
    """The yes/no/undecided radio buttons as the format page showed them, without templates."""
    value = bound.value()
    chosen = "" if value is None else str(value)
    name, field_id = _escape(bound.html_name), _escape(bound.auto_id)
    return mark_safe(  # noqa: S308 - every part is escaped
        "".join(
            f'<div class="form-check form-check-inline"><input class="form-check-input" '
            f'type="radio" name="{name}" value="{_escape(choice)}" id="{field_id}_{index}" '
            f'{"checked" if str(choice) == chosen else ""}><label class="form-check-label" '
            f'for="{field_id}_{index}">{_escape(label)}</label></div>'
            for index, (choice, label) in enumerate(bound.field.choices)
        )
    )


def _plain_field_html(bound, control) -> str:
    """Label, control and help text as ``as_crispy_field`` wraps a field that has no errors."""
    field_id = _escape(bound.auto_id)
    help_html = (
        f'<div id="{field_id}_helptext" class="form-text">{_escape(bound.help_text)}</div>'
        if bound.help_text
        else ""
    )
    return mark_safe(  # noqa: S308 - every part is escaped
        f'<div id="div_{field_id}" class="mb-3"><label for="{field_id}" class="form-label">'
        f"{_escape(bound.label)}</label>{control}{help_html}</div>"
    )


def text_input_html(bound) -> str:
    """A one-line text field without errors, as ``as_crispy_field`` gives it."""
    value = bound.value()
    field_id = _escape(bound.auto_id)
    shown = f' value="{_escape(value)}"' if value not in (None, "") else ""
    described = f' aria-describedby="{field_id}_helptext"' if bound.help_text else ""
    return _plain_field_html(
        bound,
        f'<input type="text" name="{_escape(bound.html_name)}"{shown} '
        f'maxlength="{_escape(bound.field.max_length)}" class="textinput form-control"'
        f'{described} id="{field_id}">',
    )


def select_html(bound, choices) -> str:
    """A choice list without errors, as ``as_crispy_field`` gives it; ``choices``: (value, label)."""
    value = bound.value()
    chosen = "" if value is None else str(value)
    field_id = _escape(bound.auto_id)
    options = "".join(
        f'<option value="{_escape(choice)}"{" selected" if str(choice) == chosen else ""}>'
        f"{_escape(label)}</option>"
        for choice, label in choices
    )
    described = f' aria-describedby="{field_id}_helptext"' if bound.help_text else ""
    return _plain_field_html(
        bound,
        f'<select name="{_escape(bound.html_name)}" class="select form-select"{described} '
        f'id="{field_id}">{options}</select>',
    )


def motive_row_html(row, *, has_previous=False) -> str:
    """One motive's fieldset on the format page: ``clusters()``'s row, after the view marked
    last round's answer (``last``) and a copied answer (``copied``) on it.

    The page shows one per motive (21 to 30); through the template they took a third of
    its rendering (bench/format_page.py). The fixed head comes from ``motive_head_html``,
    the rare parts from their template, the controls from the functions above.
    """
    motive = row["motive"]
    before = (
        render_to_string(
            "dialogue_sessions/preparation/_motive_row_before.html",
            {"row": row, "has_previous": has_previous},
        )
        if has_previous or row.get("copied")
        else ""
    )
    after = (
        render_to_string("dialogue_sessions/preparation/_motive_row_after.html", {"row": row})
        if row.get("saved") or row.get("taken")
        else ""
    )
    priority = row["priority"]
    priority_html = (
        as_crispy_field(priority)
        if priority.errors
        else select_html(priority, priority.field.choices)
    )
    head = motive_head_html(
        get_language(), motive.pk, motive.label, motive.explanation, motive.source
    )
    return mark_safe(  # noqa: S308 - the parts are HTML built with escaping
        f'<fieldset class="card card-body mb-3" id="motive-{_escape(motive.code)}">{head}'
        f'{before}<div class="mb-2"><span class="me-2 fw-semibold small">'
        f"{_escape(gettext('Does this motive apply?'))}</span>{radios_html(row['applies'])}</div>"
        f"{textarea_html(row['outcome'])}"
        f'<div class="priority-field col-md-4">{priority_html}</div>{after}</fieldset>'
    )


@lru_cache(maxsize=4096)
def motive_head_html(language, pk, label, explanation, source) -> str:
    """A motive's legend (with its source badge) and explanation, rendered once per
    motive text and language: the key holds everything the HTML is made of, so an
    edited motive gets a new entry and nothing goes stale."""
    motive = {"pk": pk, "label": label, "explanation": explanation, "source": source}
    return render_to_string("dialogue_sessions/preparation/_motive_head.html", {"motive": motive})


PARTICIPANT_ROWS = 8
ROLE_CHOICES = [("", _("Choose a role"))] + list(ParticipantRole.choices)


class ParticipantsForm(forms.Form):
    """Who took part in the internal discussion: a fixed number of name and role rows."""

    def __init__(self, *args, preparation=None, **kwargs):
        if preparation is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                key: value
                for p in preparation.participants.all()
                for key, value in (
                    (f"name_{p.position}", p.name),
                    (f"role_{p.position}", p.role),
                )
            }
        super().__init__(*args, **kwargs)
        for number in range(1, PARTICIPANT_ROWS + 1):
            self.fields[f"name_{number}"] = forms.CharField(
                label=_("Name %(number)d") % {"number": number},
                required=False,
                max_length=PARTICIPANT_NAME_MAX_LENGTH,
            )
            self.fields[f"role_{number}"] = forms.ChoiceField(
                label=_("Role %(number)d") % {"number": number},
                choices=ROLE_CHOICES,
                required=False,
            )

    def clean(self):
        cleaned = super().clean()
        for number in range(1, PARTICIPANT_ROWS + 1):
            name = (cleaned.get(f"name_{number}") or "").strip()
            role = cleaned.get(f"role_{number}")
            if name and not role:
                self.add_error(f"role_{number}", _("Choose a role for %(name)s.") % {"name": name})
            if role and not name:
                self.add_error(
                    f"name_{number}", _("Give the name of this person, or clear the role.")
                )
        return cleaned

    def rows(self):
        return [
            {"number": n, "name": self[f"name_{n}"], "role": self[f"role_{n}"]}
            for n in range(1, PARTICIPANT_ROWS + 1)
        ]

    def participants(self):
        return [
            ParticipantInput(
                name=self.cleaned_data.get(f"name_{n}", ""), role=self.cleaned_data.get(f"role_{n}")
            )
            for n in range(1, PARTICIPANT_ROWS + 1)
            if (self.cleaned_data.get(f"name_{n}") or "").strip()
        ]


class SubmitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    participants_reason = forms.CharField(
        label=_("Why did no manager or staff member take part?"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm_copied = forms.BooleanField(
        label=_("I have checked the answers copied from the previous round and confirm them."),
        required=False,
    )
