"""Choosing a password by e-mail: a forgotten one, or the very first one.

Someone whose account was made by an import, or by the admin without a password,
has no usable password. Django's reset form sends such people nothing, so they
could never get in; this form sends them a mail to choose their first password.
Deactivated accounts get no mail at all, and the page that follows says the
same whatever address was typed: it never tells whether an account exists.
"""

import uuid

from django.contrib.auth.forms import PasswordResetForm
from django.template import loader

from notifications.models import MailKind
from notifications.services import queue_mail
from partnerships.models import User, normalise_email

FIRST_PASSWORD_SUBJECT = "registration/first_password_subject.txt"
FIRST_PASSWORD_EMAIL = "registration/first_password_email.html"


class PasswordMailForm(PasswordResetForm):
    """Django's password reset form, which also reaches people without a password yet."""

    def get_users(self, email):
        email = normalise_email(email)
        active = User._default_manager.filter(email__iexact=email, is_active=True)
        # The mail goes to the stored address, so it must be the typed one exactly.
        return [person for person in active if normalise_email(person.email) == email]

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict,
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        if not context["user"].has_usable_password():
            subject_template_name = FIRST_PASSWORD_SUBJECT
            email_template_name = FIRST_PASSWORD_EMAIL
        # Rendered as Django's own form does, but queued: the worker sends it after the commit.
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html = ""
        if html_email_template_name:
            html = loader.render_to_string(html_email_template_name, context)
        queue_mail(
            key=f"password:{uuid.uuid4().hex}",
            kind=MailKind.PASSWORD,
            to=to_email,
            subject=subject,
            body=body,
            html_body=html,
            person=context["user"],
        )
