from django import forms
from django.utils.translation import gettext_lazy as _

from privacy.models import ClosedSessions


class RetentionForm(forms.Form):
    closed_sessions = forms.ChoiceField(
        label=_("Closed sessions past the retention period"),
        choices=ClosedSessions.choices,
        widget=forms.RadioSelect,
    )
