"""Forms of the coordinator pages for learning communities and partner organisations.

Forms only check the input; the services in ``partnerships.services`` decide
and save.
"""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from partnerships.models import LearningCommunity, Organisation, PartnerType, Setting


def _max_length(model, field):
    return model._meta.get_field(field).max_length


def _label(model, field):
    """The model field's verbose name, so forms and admin use the same words."""
    return capfirst(model._meta.get_field(field).verbose_name)


def length_limit_text(max_length):
    return ngettext("At most %(count)d character.", "At most %(count)d characters.", max_length) % {
        "count": max_length
    }


class LengthHelpMixin:
    """Every text field without its own help text tells its length limit.

    Fields with their own help text mention the limit in that text.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            max_length = getattr(field, "max_length", None)
            if max_length and not field.help_text:
                field.help_text = length_limit_text(max_length)


class CommunityForm(LengthHelpMixin, forms.Form):
    name = forms.CharField(
        label=_label(LearningCommunity, "name"), max_length=_max_length(LearningCommunity, "name")
    )
    sector = forms.CharField(
        label=_label(LearningCommunity, "sector"),
        max_length=_max_length(LearningCommunity, "sector"),
        required=False,
    )
    setting = forms.ChoiceField(
        label=_label(LearningCommunity, "setting"),
        choices=[(value, capfirst(label)) for value, label in Setting.choices],
        widget=forms.RadioSelect,
        help_text=_(
            "Public-public: for example education and care. "
            "Public-private: for example ICT, engineering or economics."
        ),
    )
    start_year = forms.IntegerField(
        label=_label(LearningCommunity, "start_year"),
        required=False,
        min_value=1900,
        max_value=2100,
        help_text=_("The year the learning community started, for example 2015."),
    )
    description = forms.CharField(
        label=_label(LearningCommunity, "description"),
        max_length=_max_length(LearningCommunity, "description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].help_text = gettext(
            "For example ICT, care or engineering. At most %(count)d characters."
        ) % {"count": self.fields["sector"].max_length}

    @classmethod
    def initial_for(cls, community):
        return {name: getattr(community, name) for name in cls.base_fields}


class OrganisationForm(LengthHelpMixin, forms.Form):
    name = forms.CharField(
        label=_label(Organisation, "name"), max_length=_max_length(Organisation, "name")
    )
    partner_type = forms.ChoiceField(
        label=_label(Organisation, "partner_type"),
        choices=[(value, capfirst(label)) for value, label in PartnerType.choices],
        widget=forms.RadioSelect,
        help_text=_(
            "Education partner: a degree programme or school. "
            "Practice partner: a company, school board, care institution or other workplace."
        ),
    )


class LogoForm(forms.Form):
    """The community's logo for the report's cover; the service checks the file itself."""

    prefix = "logo"

    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
        help_text=_(
            "A PNG or JPEG image of at most 2 MB. It appears on the cover of the joint "
            "report; only the coordinators of this learning community see it here."
        ),
    )
    remove = forms.BooleanField(label=_("Remove the logo"), required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("logo") and not cleaned.get("remove"):
            raise forms.ValidationError(_("Choose an image to upload, or tick “Remove the logo”."))
        return cleaned
