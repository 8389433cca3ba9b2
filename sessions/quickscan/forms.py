"""Forms of the Quick Scan: its title and a participant's answer.

Forms only check the input; ``sessions.quickscan.services`` decides and saves.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.forms import LengthHelpMixin
from sessions.models import QUICK_SCAN_TITLE_MAX_LENGTH, QuickScanSide


class QuickScanForm(LengthHelpMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=QUICK_SCAN_TITLE_MAX_LENGTH,
        error_messages={"required": _("Give the Quick Scan a title.")},
    )


SIDE_HINTS = {
    QuickScanSide.EDUCATION: _("A university of applied sciences, school or other education"),
    QuickScanSide.PRACTICE: _("A company, care institution, school board or other workplace"),
    QuickScanSide.OTHER: _("For example research, government or a network organisation"),
}


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
        label=_("Education side"),
        required=False,
        error_messages={"invalid_choice": _("Tick only clusters from the list.")},
    )
    practice_clusters = forms.MultipleChoiceField(
        label=_("Practice side"),
        required=False,
        error_messages={"invalid_choice": _("Tick only clusters from the list.")},
    )

    def __init__(self, *args, clusters, **kwargs):
        super().__init__(*args, **kwargs)
        self.clusters = clusters
        choices = [(cluster.code, cluster.label) for cluster in clusters]
        self.fields["education_clusters"].choices = choices
        self.fields["practice_clusters"].choices = choices

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
