from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import ESSENTIAL_KINDS, MailKind

OPTIONAL_KINDS = [(kind.value, kind.label) for kind in MailKind if kind not in ESSENTIAL_KINDS]


class MailPreferencesForm(forms.Form):
    wanted = forms.MultipleChoiceField(
        label=_("Send me these e-mails"),
        choices=OPTIONAL_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Invitations and password links are always sent."),
    )
