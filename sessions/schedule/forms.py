from django import forms
from django.utils.translation import gettext_lazy as _


class DeadlineForm(forms.Form):
    preparation_deadline = forms.DateField(
        label=_("Preparation deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Members of organisations that have not submitted get a reminder a few days "
            "before and on the day. Leave empty for no reminders."
        ),
    )


class ReviewDateForm(forms.Form):
    review_date = forms.DateField(
        label=_("Review date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "On this day the coordinators get an e-mail inviting them to look back on the "
            "agreements and start the next round. Leave empty for no mail."
        ),
    )
