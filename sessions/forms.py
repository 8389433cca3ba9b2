"""The fill-in format of Fase 1 as a form: one yes/no/undecided choice and outcome per motive."""

from django import forms
from django.utils.translation import gettext_lazy as _

from motives.models import Cluster
from sessions.models import MAX_OTHER_MOTIVES, OTHER_MOTIVE_MAX_LENGTH, OUTCOME_MAX_LENGTH
from sessions.services.preparations import AnswerInput, OtherMotiveInput

APPLIES_CHOICES = [("yes", _("Yes")), ("no", _("No")), ("", _("Not decided yet"))]
APPLIES_VALUES = {"yes": True, "no": False, "": None}


def _limit(length):
    return _("At most %(count)d characters.") % {"count": length}


class PreparationForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, motives, preparation=None, **kwargs):
        self.motives = motives
        if preparation is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(preparation, motives)
        super().__init__(*args, **kwargs)
        for motive in motives:
            self.fields[self.applies_name(motive)] = forms.ChoiceField(
                label=motive.label,
                choices=APPLIES_CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[self.outcome_name(motive)] = forms.CharField(
                label=_("Intended outcome"),
                required=False,
                max_length=OUTCOME_MAX_LENGTH,
                help_text=_limit(OUTCOME_MAX_LENGTH),
                widget=forms.Textarea(attrs={"rows": 2}),
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

    @classmethod
    def initial_from(cls, preparation, motives):
        initial = {"version": preparation.version}
        stored = {answer.motive_id: answer for answer in preparation.answers.all()}
        for motive in motives:
            answer = stored.get(motive.pk)
            if answer is not None:
                initial[cls.applies_name(motive)] = {True: "yes", False: "no", None: ""}[
                    answer.applies
                ]
                initial[cls.outcome_name(motive)] = answer.intended_outcome
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
        return cleaned

    def answers(self):
        return {
            motive.code: AnswerInput(
                applies=APPLIES_VALUES[self.cleaned_data.get(self.applies_name(motive)) or ""],
                intended_outcome=self.cleaned_data.get(self.outcome_name(motive), ""),
            )
            for motive in self.motives
        }

    def other_motives(self):
        return [
            OtherMotiveInput(
                cluster=self.cleaned_data.get(f"other_{number}_cluster"),
                text=self.cleaned_data[f"other_{number}_text"],
                intended_outcome=self.cleaned_data.get(f"other_{number}_outcome", ""),
            )
            for number in range(1, MAX_OTHER_MOTIVES + 1)
            if self.cleaned_data.get(f"other_{number}_text")
        ]

    def clusters(self, saved=None):
        """Motives grouped by cluster for the template, with the saved answer where it differs."""
        groups = []
        for motive in self.motives:
            if not groups or groups[-1]["cluster"] != motive.cluster:
                groups.append({"cluster": motive.cluster, "rows": []})
            row = {
                "motive": motive,
                "applies": self[self.applies_name(motive)],
                "outcome": self[self.outcome_name(motive)],
            }
            if saved is not None:
                row["saved"] = self._saved_if_different(motive, saved)
            groups[-1]["rows"].append(row)
        return groups

    def _saved_if_different(self, motive, saved):
        mine = (
            self.data.get(self.applies_name(motive), ""),
            self.data.get(self.outcome_name(motive), "").strip(),
        )
        theirs = (
            saved.get(self.applies_name(motive), ""),
            (saved.get(self.outcome_name(motive)) or "").strip(),
        )
        if mine == theirs:
            return None
        return {
            "applies": dict(APPLIES_CHOICES)[theirs[0]],
            "intended_outcome": theirs[1],
        }

    def others(self):
        return [
            {
                "number": number,
                "text": self[f"other_{number}_text"],
                "cluster": self[f"other_{number}_cluster"],
                "outcome": self[f"other_{number}_outcome"],
            }
            for number in range(1, MAX_OTHER_MOTIVES + 1)
        ]

    def answered_count(self):
        source = self.data if self.is_bound else self.initial
        return sum(1 for motive in self.motives if source.get(self.applies_name(motive)))
