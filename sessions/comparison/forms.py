"""The comparison page's filters."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.models import PartnerType
from sessions.comparison.matrix import CATEGORIES, CATEGORY_LABELS


class ComparisonFilterForm(forms.Form):
    """The page's filters, read from the query string; a bad value is dropped, never a 500."""

    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    cluster = forms.ChoiceField(label=gettext_lazy("Cluster"), required=False)
    partner_type = forms.ChoiceField(label=gettext_lazy("Named by"), required=False)

    def __init__(self, *args, clusters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories"))] + [
            (code, CATEGORY_LABELS[code]) for code in CATEGORIES
        ]
        self.fields["cluster"].choices = [("", _("All clusters"))] + [
            (cluster.code, cluster.label) for cluster in clusters
        ]
        self.fields["partner_type"].choices = [
            ("", _("Any organisation")),
            (PartnerType.EDUCATION, _("Education partners")),
            (PartnerType.PRACTICE, _("Practice partners")),
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    @classmethod
    def read(cls, query, *, clusters):
        """(filters, form to show, whether something was ignored) for the query string."""
        names = ("category", "cluster", "partner_type")
        data = {name: query.get(name, "") for name in names}
        form = cls(data, clusters=clusters)
        form.is_valid()
        filters = {name: form.cleaned_data.get(name) or "" for name in names}
        ignored = any(data[name] and not filters[name] for name in names)
        return filters, cls(filters, clusters=clusters), ignored
