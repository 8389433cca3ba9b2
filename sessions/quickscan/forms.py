"""Forms of the Quick Scan: its title and a participant's answer.

Forms only check the input; ``sessions.quickscan.services`` decides and saves.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.forms import LengthHelpMixin
from sessions.models import (
    QUICK_SCAN_OPEN_ANSWER_MAX_LENGTH,
    QUICK_SCAN_TITLE_MAX_LENGTH,
    QuickScanSide,
)
from sessions.policy import people

NUL_MESSAGE = _("The text contains a NUL character, which cannot be stored. Nothing was saved.")


class QuickScanForm(LengthHelpMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=QUICK_SCAN_TITLE_MAX_LENGTH,
        error_messages={"required": _("Give the Quick Scan a title.")},
    )
    community: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Learning community"),
        queryset=None,
        required=False,
        empty_label=_("None (a workshop or conference)"),
        help_text=_(
            "Optional: a learning community you coordinate. From its results you can then "
            "start a full session in that community."
        ),
        error_messages={
            "invalid_choice": _("Choose a learning community you coordinate, or none.")
        },
    )
    hide_results = forms.BooleanField(
        label=_("Hide the results until I reveal them"),
        required=False,
        help_text=_(
            "Participants and the projector see “results follow” until you click “Reveal the "
            "results”, so that early answers do not steer later ones."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = people.quick_scan_communities(user)


SIDE_HINTS = {
    QuickScanSide.EDUCATION: _("A university of applied sciences, school or other education"),
    QuickScanSide.PRACTICE: _("A company, care institution, school board or other workplace"),
    QuickScanSide.OTHER: _("For example research, government or a network organisation"),
}


def open_field(code):
    """The name of a cluster's open-answer field."""
    return f"open_{code}"


class QuickScanAnswerForm(forms.Form):
    """The Quick Scan sheet: your side, then the clusters for each side.

    The template draws the checkboxes itself (each with the cluster's explanation
    and motives); ``chosen`` tells it what to tick, from what was sent or saved.
    """

    side = forms.ChoiceField(
        label=_("I am from"),
        choices=QuickScanSide.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Say which side you are from: education, practice or other."),
            "invalid_choice": _("Say which side you are from: education, practice or other."),
        },
    )
    education_clusters = forms.MultipleChoiceField(
        label=_("Education"),
        required=False,
        error_messages={"invalid_choice": _("Tick only clusters from the list.")},
    )
    practice_clusters = forms.MultipleChoiceField(
        label=_("Practice partner(s)"),
        required=False,
        error_messages={"invalid_choice": _("Tick only clusters from the list.")},
    )

    def __init__(self, *args, clusters, **kwargs):
        super().__init__(*args, **kwargs)
        self.clusters = clusters
        choices = [(cluster.code, cluster.label) for cluster in clusters]
        self.fields["education_clusters"].choices = choices
        self.fields["practice_clusters"].choices = choices
        for cluster in clusters:
            self.fields[open_field(cluster.code)] = forms.CharField(
                label=cluster.label,
                required=False,
                max_length=QUICK_SCAN_OPEN_ANSWER_MAX_LENGTH,
                error_messages={
                    "max_length": _(
                        "At most %(limit_value)d characters (now %(show_value)d): "
                        "please shorten your answer."
                    ),
                    "null_characters_not_allowed": NUL_MESSAGE,
                },
            )

    def open_rows(self):
        """(cluster, bound field) for each cluster's open answer, in catalogue order."""
        return [(cluster, self[open_field(cluster.code)]) for cluster in self.clusters]

    def open_answers(self):
        """The cleaned open answers as {cluster code: text} (empty ones included)."""
        return {
            cluster.code: self.cleaned_data.get(open_field(cluster.code), "")
            for cluster in self.clusters
        }

    def side_options(self):
        """(value, label, hint) for each side a participant can be from."""
        return [
            (value, label, SIDE_HINTS.get(value, ""))
            for value, label in self.fields["side"].choices
        ]

    def chosen(self, name):
        """The values to show as chosen: what was sent, else what was saved."""
        if self.is_bound:
            return self.data.getlist(name) if name != "side" else self.data.get(name, "")
        value = self.initial.get(name)
        if name == "side":
            return value or ""
        return list(value or [])

    def chosen_values(self):
        return {
            "side": self.chosen("side"),
            "education": set(self.chosen("education_clusters")),
            "practice": set(self.chosen("practice_clusters")),
        }
