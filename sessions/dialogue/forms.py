"""Forms of the joint results, the review of the previous round and the next round.

Forms only check the input; ``sessions.dialogue.services`` and ``.rounds`` decide and save.
"""

import hashlib

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motives.models import Cluster, Motive
from partnerships.forms import LengthHelpMixin
from partnerships.models import User
from sessions.models import (
    AGREEMENT_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    OTHER_MOTIVE_MAX_LENGTH,
    OUTCOME_MAX_LENGTH,
    OWNER_MAX_LENGTH,
    REVIEW_NOTE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Realised,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionMixin:
    """Edit forms carry the version of the item they were opened from."""

    def __init__(self, *args, with_version=False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_version:
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput)


class JointMotiveForm(VersionMixin, LengthHelpMixin, forms.Form):
    motive = forms.ChoiceField(
        label=_("Motive from the catalogue"),
        required=False,
        help_text=_("Or leave this empty and describe the joint motive in your own words."),
    )
    text = forms.CharField(
        label=_("Own wording"),
        required=False,
        max_length=OTHER_MOTIVE_MAX_LENGTH,
    )
    intended_outcome = forms.CharField(
        label=_("Joint intended outcome"),
        required=False,
        max_length=OUTCOME_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, keep_motive=None, **kwargs):
        """``keep_motive``: the item's current motive, offered even if it left the catalogue."""
        super().__init__(*args, **kwargs)
        motives = list(Motive.objects.active().in_catalogue_order())
        if keep_motive is not None and keep_motive not in motives:
            motives.append(keep_motive)
        self.motives = {str(motive.pk): motive for motive in motives}
        groups = {}
        for motive in motives:
            groups.setdefault(motive.cluster.label, []).append((str(motive.pk), motive.label))
        self.fields["motive"].choices = [
            ("", gettext("— none: own wording below —")),
            *groups.items(),
        ]

    def clean_motive(self):
        value = self.cleaned_data.get("motive")
        return self.motives.get(value) if value else None

    def clean(self):
        cleaned = super().clean()
        missing = not cleaned.get("motive") and not (cleaned.get("text") or "").strip()
        if missing and not self.has_error("text"):
            self.add_error(
                "motive",
                gettext(
                    "Choose a motive from the catalogue or describe the joint motive "
                    "in your own words."
                ),
            )
        return cleaned

    @staticmethod
    def initial_for(joint_motive):
        return {
            "motive": str(joint_motive.motive_id) if joint_motive.motive_id else "",
            "text": joint_motive.text,
            "intended_outcome": joint_motive.intended_outcome,
            "version": joint_motive.version,
        }


class AgreementForm(VersionMixin, LengthHelpMixin, forms.Form):
    text = forms.CharField(
        label=_("What"),
        max_length=AGREEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    owner = forms.CharField(
        label=_("Who"),
        required=False,
        max_length=OWNER_MAX_LENGTH,
    )
    due = forms.DateField(label=_("When"), required=False, widget=DATE_WIDGET)
    owner_person: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Remind"),
        queryset=None,
        required=False,
        empty_label=_("nobody"),
        help_text=_(
            "Someone in this session who gets an e-mail a few days before the date under "
            "“When” and on the day."
        ),
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["owner_person"]
        field.queryset = people if people is not None else User.objects.none()
        field.label_from_instance = lambda person: (
            f"{person.get_full_name()} <{person.email}>" if person.get_full_name() else person.email
        )

    @staticmethod
    def initial_for(agreement):
        return {
            "text": agreement.text,
            "owner": agreement.owner,
            "due": agreement.due,
            "owner_person": agreement.owner_person_id,
            "version": agreement.version,
        }

    def clean(self):
        data = super().clean()
        if data.get("owner_person") and not data.get("due"):
            self.add_error("due", _("Choose a date so that the person can be reminded."))
        return data


class NoteForm(LengthHelpMixin, forms.Form):
    cluster = forms.ModelChoiceField(
        label=_("About"),
        queryset=Cluster.objects.order_by("order"),
        required=False,
        empty_label=_("The dialogue as a whole"),
    )
    text = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


REVIEW_CHOICES = [
    (Realised.NO, _("No")),
    (Realised.PARTLY, _("Partly")),
    (Realised.YES, _("Yes")),
]


def review_digest(realised, note):
    """A short fingerprint of a review as shown, to tell which items a person changed."""
    shown = f"{realised or ''}\n{(note or '').replace(chr(13) + chr(10), chr(10)).strip()}"
    return hashlib.sha256(shown.encode()).hexdigest()[:20]


class ReviewForm(LengthHelpMixin, forms.Form):
    """One item of the review page; the page sends every item's form in one save.

    ``seen`` is the fingerprint of what the page showed for the item, so an item the
    person did not touch is not saved (and cannot conflict with someone else's save).
    """

    realised = forms.ChoiceField(
        label=_("Realised?"),
        choices=REVIEW_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=REVIEW_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    @staticmethod
    def initial_for(review):
        if review is None:
            return {"seen": review_digest("", "")}
        return {
            "realised": review.realised or "",
            "note": review.note,
            "version": review.version,
            "seen": review_digest(review.realised, review.note),
        }

    def changed_by_person(self):
        data = self.cleaned_data
        return review_digest(data["realised"], data["note"]) != data["seen"]


class NextRoundForm(LengthHelpMixin, forms.Form):
    title = forms.CharField(label=capfirst(_("title")), max_length=TITLE_MAX_LENGTH)
    date = forms.DateField(
        label=capfirst(_("date")),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("The day of the joint dialogue, if it is known."),
    )

    @staticmethod
    def initial_for(session):
        title = gettext("%(title)s (follow-up)") % {"title": session.title}
        return {"title": title[:TITLE_MAX_LENGTH]}
