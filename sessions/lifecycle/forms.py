"""Forms of the coordinator pages for a dialogue session.

Forms only check the input; ``sessions.lifecycle.services`` decides and saves.
"""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partnerships.forms import LengthHelpMixin
from sessions.lifecycle.services import facilitator_candidates
from sessions.models import Catalogue, DialogueSession
from sms_tool.errors import fits_an_id


class IdChoiceField(forms.ModelMultipleChoiceField):
    """Ids beyond a 64-bit integer are refused here: SQLite cannot even look them up."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else []:
            try:
                in_range = fits_an_id(int(pk))
            except (TypeError, ValueError):
                continue  # the parent refuses it with its own message
            if not in_range:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class OrganisationChoiceField(IdChoiceField):
    def label_from_instance(self, obj):
        return gettext("%(name)s (%(type)s)") % {
            "name": obj.name,
            "type": obj.get_partner_type_display(),
        }


class PersonChoiceField(IdChoiceField):
    def label_from_instance(self, obj):
        if obj.name:
            return gettext("%(name)s (%(email)s)") % {"name": obj.name, "email": obj.email}
        return obj.email


def _label(field):
    return capfirst(DialogueSession._meta.get_field(field).verbose_name)


class SessionForm(LengthHelpMixin, forms.Form):
    title = forms.CharField(
        label=_label("title"), max_length=DialogueSession._meta.get_field("title").max_length
    )
    date = forms.DateField(
        label=_label("date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The day of the joint dialogue, if it is known."),
    )
    organisations = OrganisationChoiceField(
        label=_("Participating organisations"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Each organisation fills in its own format. You can still change this "
            "until the joint dialogue opens."
        ),
    )
    facilitators = PersonChoiceField(
        label=_label("facilitators"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The coordinators of this learning community and people who facilitated "
            "its earlier sessions. Invite someone new by e-mail on the invitations page "
            "once the session exists."
        ),
    )

    catalogue = forms.ChoiceField(
        label=_label("catalogue"),
        choices=Catalogue.choices,
        initial=Catalogue.EXTENDED,
        required=False,  # not sent: the extended catalogue on create, unchanged on edit
        widget=forms.RadioSelect,
        help_text=_(
            "The compact format has the motives of the printed SMS-tool format; the extended "
            "catalogue adds the motives from the article. The comparison and the report follow "
            "this choice."
        ),
    )

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = community.organisations.order_by(
            "partner_type", "name"
        )
        self.fields["facilitators"].queryset = facilitator_candidates(community)

    def clean_catalogue(self):
        return self.cleaned_data["catalogue"] or None


class SessionEditForm(SessionForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, can_change_participants=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_change_participants:
            self.fields["organisations"].disabled = True

    def clean(self):
        cleaned = super().clean()
        if self.has_error("version"):
            # A hidden field's own error is not shown, so say it where people look.
            self.add_error(
                None,
                gettext(
                    "This page was incomplete, so nothing was saved. "
                    "Reload the page and make your change again."
                ),
            )
        return cleaned

    @staticmethod
    def initial_for(session):
        return {
            "title": session.title,
            "date": session.date,
            "catalogue": session.catalogue,
            "organisations": [p.organisation_id for p in session.preparations.all()],
            "facilitators": [person.pk for person in session.facilitators.all()],
            "version": session.version,
        }
