"""The research page's parameters: threshold, cases and filter, read from the query string."""

from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.http import QueryDict
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DEFAULT_THRESHOLD_TEXT = "0.75"
FORM_KEYS = ("threshold", "cases", "marked_only", "apply", "group_by", "rows")
GROUP_BY_CHOICES = [
    ("sector", gettext_lazy("Per case (sector)")),
    ("setting", gettext_lazy("Per setting: public-public and public-private")),
]
ROWS_CHOICES = [
    ("catalogue", gettext_lazy("The catalogue's clusters")),
    ("article", gettext_lazy("The article's Tables 3-6")),
]


class DecimalCommaField(forms.DecimalField):
    """A decimal number typed with a point or with the Dutch decimal comma: "0,75" or "0.75".

    Only one separator is read as the decimal one; "1.000,5" or "0,7,5" stay invalid
    and get the field's message.
    """

    def to_python(self, value):
        if isinstance(value, str):
            text = value.strip()
            if text.count(",") == 1 and "." not in text:
                text = text.replace(",", ".")
            value = text
        return super().to_python(value)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Shown in the page's language (0,75 on a Dutch page); read by to_python above.
        self.widget.is_localized = True


class CrossCaseForm(forms.Form):
    """The page's parameters from the query string: bad values get a message, never a 500."""

    threshold = DecimalCommaField(
        label=gettext_lazy("Threshold"),
        max_value=1,
        decimal_places=4,
        help_text=gettext_lazy(
            "Share of a side's organisations that must name a motive: more than 0 and "
            "at most 1 (0.75 is 75%, as in the article)."
        ),
        error_messages={"required": gettext_lazy("Enter a threshold such as 0.75.")},
        # Text, not type=number: a browser may refuse the comma of a Dutch "0,75".
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    group_by = forms.ChoiceField(
        label=gettext_lazy("Columns"),
        choices=GROUP_BY_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    rows = forms.ChoiceField(
        label=gettext_lazy("Rows grouped as"),
        choices=ROWS_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    cases = forms.MultipleChoiceField(
        label=gettext_lazy("Cases"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": gettext_lazy(
                "A chosen case is no longer available (%(value)s). Choose the cases again."
            )
        },
    )
    marked_only = forms.BooleanField(
        label=gettext_lazy("Only motives marked for at least one case"), required=False
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [
            (str(session.community_id), case_label(session)) for session in candidates
        ]
        self.fields["threshold"].widget.attrs["class"] = "form-control"

    def clean_threshold(self):
        threshold = self.cleaned_data["threshold"]
        if threshold <= 0:
            raise forms.ValidationError(
                _("The threshold must be more than 0: with 0 every motive would be marked."),
                code="min_value",
            )
        return threshold

    def clean_group_by(self):
        return self.cleaned_data["group_by"] or "sector"

    def clean_rows(self):
        return self.cleaned_data["rows"] or "catalogue"


def case_label(session):
    """ "Techniek – Maakindustrie Lab (Evaluatie najaar 2026, 17-11-2026)" for a checkbox."""
    date = formats.date_format(session.date, "SHORT_DATE_FORMAT") if session.date else ""
    community = session.community
    if community.sector:
        if date:
            return _("%(sector)s – %(community)s (%(title)s, %(date)s)") % {
                "sector": community.sector,
                "community": community.name,
                "title": session.title,
                "date": date,
            }
        return _("%(sector)s – %(community)s (%(title)s)") % {
            "sector": community.sector,
            "community": community.name,
            "title": session.title,
        }
    if date:
        return _("%(community)s (%(title)s, %(date)s)") % {
            "community": community.name,
            "title": session.title,
            "date": date,
        }
    return _("%(community)s (%(title)s)") % {"community": community.name, "title": session.title}


@dataclass
class Parameters:
    form: CrossCaseForm
    valid: bool
    threshold: Decimal = Decimal(DEFAULT_THRESHOLD_TEXT)
    sessions: list = field(default_factory=list)
    marked_only: bool = False
    group_by: str = "sector"
    rows: str = "catalogue"

    def query_string(self):
        """The parameters in use, to link the CSV download to what the page shows."""
        query = QueryDict(mutable=True)
        query["threshold"] = str(self.threshold)
        query.setlist("cases", [str(session.community_id) for session in self.sessions])
        if self.marked_only:
            query["marked_only"] = "on"
        if self.group_by != "sector":
            query["group_by"] = self.group_by
        return query.urlencode()


def read_parameters(query, candidates):
    """The form and, when it is valid, the threshold, the sessions (one per case) and the filter.

    Without parameters the page shows every case at 0.75. Without ``cases`` every
    case is included, unless the form itself was sent with none ticked.
    """
    if not any(key in query for key in FORM_KEYS):
        form = CrossCaseForm(
            initial={
                "threshold": Decimal(DEFAULT_THRESHOLD_TEXT),
                "cases": [str(s.community_id) for s in candidates],
                "group_by": "sector",
                "rows": "catalogue",
            },
            candidates=candidates,
        )
        return Parameters(form=form, valid=True, sessions=list(candidates))
    data = query.copy()
    if "threshold" not in data:
        data["threshold"] = DEFAULT_THRESHOLD_TEXT
    sent_with_none = "apply" in data and not data.getlist("cases")
    if "cases" not in data and not sent_with_none:
        data.setlist("cases", [str(s.community_id) for s in candidates])
    form = CrossCaseForm(data, candidates=candidates)
    if not form.is_valid():
        return Parameters(form=form, valid=False)
    if sent_with_none and candidates:
        form.add_error("cases", _("Choose at least one case."))
        return Parameters(form=form, valid=False)
    chosen = set(form.cleaned_data["cases"])
    return Parameters(
        form=form,
        valid=True,
        threshold=form.cleaned_data["threshold"],
        sessions=[s for s in candidates if str(s.community_id) in chosen],
        marked_only=form.cleaned_data["marked_only"],
        group_by=form.cleaned_data["group_by"],
        rows=form.cleaned_data["rows"],
    )
