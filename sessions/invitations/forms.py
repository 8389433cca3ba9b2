"""The coordinator's invitation form and the invited newcomer's account form."""

import re

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
            (
                InvitationRole.GUIDE,
                gettext_lazy("Fase 1 process guide of a partner organisation (its draft only)"),
            ),
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
        if role in (InvitationRole.MEMBER, InvitationRole.GUIDE):
            if not cleaned.get("organisation") and "organisation" not in self.errors:
                self.add_error(
                    "organisation",
                    _("Choose the organisation the person will work for."),
                )
        elif role == InvitationRole.FACILITATOR:
            cleaned["organisation"] = None
        return cleaned


class GuideInvitationForm(forms.Form):
    """A member invites the organisation's Fase 1 process guide: an address and a name."""

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


BULK_MAX_LINES = 100


class BulkInvitationForm(forms.Form):
    """Several members at once: one line per person, "address, organisation[, name]".

    ``clean`` turns the text into ``rows`` (line number, address, organisation, name)
    and collects a reason per wrong line in ``line_errors``; the text itself is kept,
    so nothing typed is lost when a line is wrong.
    """

    lines = forms.CharField(
        label=gettext_lazy("Addresses and organisations"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "autocomplete": "off"}),
        help_text=gettext_lazy(
            "One person per line: the e-mail address, then the organisation, separated by a "
            "comma, a semicolon or a tab (as pasted from a spreadsheet). A name may follow "
            "as a third part."
        ),
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = list(
            Organisation.objects.filter(preparations__session=session).order_by("name")
        )
        self.rows: list[dict] = []
        self.line_errors: list[dict] = []

    def _organisation(self, text: str):
        wanted = " ".join(text.split()).casefold()
        for organisation in self.organisations:
            if organisation.name.casefold() == wanted:
                return organisation
        return None

    def clean_lines(self) -> str:
        text = self.cleaned_data["lines"]
        numbered = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1)]
        numbered = [(n, line) for n, line in numbered if line]
        if len(numbered) > BULK_MAX_LINES:
            raise forms.ValidationError(
                _("At most %(maximum)d people at once; this list has %(count)d lines.")
                % {"maximum": BULK_MAX_LINES, "count": len(numbered)}
            )
        seen: dict[tuple, int] = {}
        email_field = forms.EmailField()
        for number, line in numbered:
            parts = [part.strip() for part in re.split(r"[\t;,]", line, maxsplit=2)]
            if len(parts) < 2 or not parts[1]:
                self._refuse(number, line, _("the organisation is missing after the address."))
                continue
            try:
                email = email_field.clean(parts[0])
            except forms.ValidationError:
                self._refuse(
                    number, line, _("“%(text)s” is not an e-mail address.") % {"text": parts[0]}
                )
                continue
            organisation = self._organisation(parts[1])
            if organisation is None:
                self._refuse(
                    number,
                    line,
                    _("no organisation called “%(name)s” takes part in this session.")
                    % {"name": parts[1]},
                )
                continue
            key = (email.lower(), organisation.pk)
            if key in seen:
                self._refuse(
                    number,
                    line,
                    _("the same person and organisation as line %(line)d.") % {"line": seen[key]},
                )
                continue
            seen[key] = number
            name = parts[2][:NAME_MAX_LENGTH] if len(parts) > 2 else ""
            self.rows.append(
                {"line": number, "email": email, "organisation": organisation, "name": name}
            )
        return text

    def _refuse(self, number: int, line: str, reason: str) -> None:
        self.line_errors.append({"line": number, "text": line, "reason": reason})
