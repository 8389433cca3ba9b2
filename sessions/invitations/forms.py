"""The coordinator's invitation form and the invited newcomer's account form."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordMixin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.models import NAME_MAX_LENGTH, Organisation
from sessions.models import InvitationRole


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        help_text=gettext_lazy("Optional. Used to greet the person in the e-mail."),
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Invite as"),
        choices=[
            (InvitationRole.MEMBER, gettext_lazy("Member of a partner organisation")),
            (InvitationRole.FACILITATOR, gettext_lazy("Facilitator of this session")),
        ],
        initial=InvitationRole.MEMBER,
        widget=forms.RadioSelect,
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=gettext_lazy("Choose an organisation"),
        help_text=gettext_lazy(
            "Required for a member: the organisation the person works for. "
            "Not used for a facilitator."
        ),
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            preparations__session=session
        ).order_by("name")

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role == InvitationRole.MEMBER:
            if not cleaned.get("organisation") and "organisation" not in self.errors:
                self.add_error(
                    "organisation",
                    _("Choose the organisation the person will work for."),
                )
        elif role == InvitationRole.FACILITATOR:
            cleaned["organisation"] = None
        return cleaned


class NewPersonForm(SetPasswordMixin, forms.Form):
    """Name and password for someone who has no account yet; the address is the invitation's."""

    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        disabled=True,
        required=False,
        help_text=gettext_lazy("You will sign in with this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
    )
    name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=gettext_lazy("Shown to the other people in the session."),
    )
    password1, password2 = SetPasswordMixin.create_password_fields()

    def __init__(self, *args, email, **kwargs):
        kwargs.setdefault("initial", {})["email"] = email
        super().__init__(*args, **kwargs)
        self.invited_email = email

    def clean(self):
        self.validate_passwords()
        person = get_user_model()(email=self.invited_email, name=self.cleaned_data.get("name", ""))
        self.validate_password_for_user(person)
        return super().clean()
